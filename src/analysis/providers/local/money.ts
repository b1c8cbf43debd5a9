import type { Lang } from './types.js';

/** An amount of money found in a text. */
export interface FoundPrice {
  value: number;
  currency: 'USD' | 'BRL' | 'EUR' | 'GBP' | null;
  text: string;
  index: number;
}

/**
 * Reads a number written the English way (1,299.90) or the Brazilian way (1.299,90). With one kind
 * of separator, a group of exactly three digits after it is a thousands group ("R$ 4.800",
 * "$1,290"), anything else is the decimal part ("$12.50", "R$ 99,9").
 */
export function parseNumber(raw: string, lang: Lang): number | null {
  const text = raw.replace(/\s/g, '');
  if (!/^\d[\d.,]*$/.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    normalized = text.split(thousands).join('').replace(decimal, '.');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const groups = text.split(separator);
    const tail = groups[groups.length - 1] ?? '';
    const thousandsGrouping = tail.length === 3 && groups.slice(1).every((group) => group.length === 3) && (groups[0]?.length ?? 0) <= 3;
    if (thousandsGrouping && (groups.length > 2 || separator === (lang === 'pt' ? '.' : ',') || tail.length === 3)) {
      normalized = groups.join('');
    } else if (groups.length === 2) {
      normalized = `${groups[0]}.${tail}`;
    } else {
      return null;
    }
  } else {
    normalized = text;
  }
  const value = Number(normalized);
  return Number.isFinite(value) ? value : null;
}

const NUMBER = String.raw`\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const PREFIXED = new RegExp(String.raw`(R\$|US\$|\$|€|£|USD|BRL|EUR|GBP)\s?(${NUMBER})(?:\s?(mil|k)\b)?`, 'giu');
const SUFFIXED = new RegExp(String.raw`(?<![\d.,])(${NUMBER})(?:\s?(mil|k))?\s?(reais|real|d[oó]lares|dollars|bucks|usd|brl|euros?|pounds|libras|gbp)\b`, 'giu');

function currencyOf(token: string): FoundPrice['currency'] {
  const lower = token.toLowerCase();
  if (lower === 'r$' || lower === 'brl' || lower.startsWith('rea')) return 'BRL';
  if (lower === '€' || lower.startsWith('eur')) return 'EUR';
  if (lower === '£' || lower === 'gbp' || lower.startsWith('pound') || lower.startsWith('libra')) return 'GBP';
  return 'USD';
}

const UNITS: Record<string, number> = {
  zero: 0, one: 1, a: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40,
  fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  um: 1, uma: 1, dois: 2, duas: 2, tres: 3, quatro: 4, cinco: 5, seis: 6, sete: 7, oito: 8, nove: 9, dez: 10, onze: 11, doze: 12, treze: 13,
  quatorze: 14, catorze: 14, quinze: 15, dezesseis: 16, dezessete: 17, dezoito: 18, dezenove: 19, vinte: 20, trinta: 30, quarenta: 40,
  cinquenta: 50, sessenta: 60, setenta: 70, oitenta: 80, noventa: 90, cem: 100, cento: 100, duzentos: 200, duzentas: 200, trezentos: 300,
  quatrocentos: 400, quinhentos: 500, seiscentos: 600, setecentos: 700, oitocentos: 800, novecentos: 900,
};

/**
 * A number said in words, English or Portuguese: "twelve hundred", "ninety-five", "two thousand
 * four hundred", "dois mil", "cento e vinte", "oito mil e quatrocentos". Null when a word is not a number word.
 */
export function numberFromWords(raw: string): number | null {
  const words = raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter((word) => word && word !== 'and' && word !== 'e');
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  for (const word of words) {
    if (word in UNITS) current += UNITS[word]!;
    else if (word === 'hundred') current = (current || 1) * 100;
    else if (word === 'thousand' || word === 'mil') {
      total += (current || 1) * 1000;
      current = 0;
    } else if (word === 'million' || word === 'milhao' || word === 'milhoes') {
      total += (current || 1) * 1_000_000;
      current = 0;
    } else return null;
  }
  return total + current;
}

const NUMBER_WORD = String.raw`(?:${Object.keys(UNITS).filter((word) => word !== 'a').join('|')}|hundred|thousand|mil|million|milh[aã]o|milh[oõ]es)`;
const WORD_AMOUNT = new RegExp(String.raw`\b(${NUMBER_WORD}(?:[\s-]+(?:(?:and|e)\s+)?${NUMBER_WORD})*)\s+(dollars|bucks|reais|euros?|pounds|libras)\b`, 'giu');

/** Money amounts ("$1,299.90", "R$ 1.299,90", "99 reais", "R$ 2 mil", "twelve hundred dollars", "dois mil reais"), in text order. */
export function findPrices(text: string, lang: Lang): FoundPrice[] {
  const found: FoundPrice[] = [];
  for (const match of text.matchAll(WORD_AMOUNT)) {
    const value = numberFromWords(match[1] ?? '');
    if (value === null || value === 0) continue;
    found.push({ value, currency: currencyOf(match[2] ?? ''), text: match[0], index: match.index ?? 0 });
  }
  for (const match of text.matchAll(PREFIXED)) {
    const value = parseNumber((match[2] ?? '').trim(), lang);
    if (value === null) continue;
    found.push({ value: match[3] ? value * 1000 : value, currency: currencyOf(match[1] ?? ''), text: match[0], index: match.index ?? 0 });
  }
  for (const match of text.matchAll(SUFFIXED)) {
    const value = parseNumber((match[1] ?? '').trim(), lang);
    if (value === null) continue;
    const index = match.index ?? 0;
    if (found.some((price) => index >= price.index && index < price.index + price.text.length)) continue;
    found.push({ value: match[2] ? value * 1000 : value, currency: currencyOf(match[3] ?? ''), text: match[0], index });
  }
  return found.sort((a, b) => a.index - b.index);
}

const PERCENT_WORDS = String.raw`(?:(?:${Object.keys(UNITS).filter((word) => word !== 'a').join('|')})(?:[\s-]+(?:e\s+)?(?:${Object.keys(UNITS).filter((word) => word !== 'a').join('|')}))?)`;

/**
 * A percentage discount in a text: "10%", "20% off", "desconto de 15%", "15 por cento de desconto",
 * "a twenty percent scholarship", "bolsa de trinta por cento", "it's 10% less", "cai 12%".
 */
export function findDiscount(text: string): { percent: number; text: string } | null {
  const folded = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (!/\b(off|discount|discounted|desconto|descontos|bolsa|scholarship|promo|promocao|cupom|coupon|abatimento|less|menos|cai|reduc\w*|savings?|economia)\b|%\s*(off|de desconto)/.test(folded)) return null;
  const digits = /(\d{1,2}(?:[.,]\d{1,2})?)\s?(?:%|por cento|percent\b)/.exec(folded);
  const words = digits ? null : new RegExp(String.raw`\b(${PERCENT_WORDS})\s+(?:percent|por cento)\b`).exec(folded);
  const percent = digits ? Number((digits[1] ?? '').replace(',', '.')) : words ? numberFromWords(words[1] ?? '') : null;
  if (percent === null || !Number.isFinite(percent) || percent <= 0 || percent >= 100) return null;
  return { percent, text: (digits ?? words)![0] };
}

/** The catalog's DISCOUNT: a fraction 0..1 (15% → 0.15). */
export function discountFraction(percent: number): number {
  return Math.round(percent * 100) / 10_000;
}
