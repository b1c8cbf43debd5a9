import type { Lang } from './types.js';

/** An amount of money found in a text. */
export interface FoundPrice {
  value: number;
  currency: 'USD' | 'BRL' | 'EUR' | null;
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
const PREFIXED = new RegExp(String.raw`(R\$|US\$|\$|€|USD|BRL|EUR)\s?(${NUMBER})(?:\s?(mil|k)\b)?`, 'giu');
const SUFFIXED = new RegExp(String.raw`(?<![\d.,])(${NUMBER})(?:\s?(mil|k))?\s?(reais|real|d[oó]lares|dollars|bucks|usd|brl|euros?)\b`, 'giu');

function currencyOf(token: string): FoundPrice['currency'] {
  const lower = token.toLowerCase();
  if (lower === 'r$' || lower === 'brl' || lower.startsWith('rea')) return 'BRL';
  if (lower === '€' || lower.startsWith('eur')) return 'EUR';
  return 'USD';
}

/** Money amounts ("$1,299.90", "R$ 1.299,90", "99 reais", "R$ 2 mil"), in text order. */
export function findPrices(text: string, lang: Lang): FoundPrice[] {
  const found: FoundPrice[] = [];
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

/** A percentage discount in a text: "10%", "20% off", "desconto de 15%", "15 por cento de desconto". */
export function findDiscount(text: string): { percent: number; text: string } | null {
  const folded = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (!/\b(off|discount|discounted|desconto|descontos|bolsa|scholarship|promo|promocao|cupom|coupon|abatimento)\b|%\s*(off|de desconto)/.test(folded)) return null;
  const match = /(\d{1,2}(?:[.,]\d{1,2})?)\s?(?:%|por cento|percent\b)/.exec(folded);
  if (!match) return null;
  const percent = Number((match[1] ?? '').replace(',', '.'));
  if (!Number.isFinite(percent) || percent <= 0 || percent >= 100) return null;
  return { percent, text: match[0] };
}

/** The seed's DISCOUNT value: "10%", "12.5%". */
export function formatPercent(percent: number): string {
  return `${Math.round(percent * 100) / 100}%`;
}
