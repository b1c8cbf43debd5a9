/** Small text helpers shared by the detectors. */

/** Lowercase, accents stripped, whitespace collapsed: the form every cue pattern is written for. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Sentences of a message (split after . ! ? … followed by a space; numbers such as 1.299,90 stay whole). */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+(?=[^\s])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Whether any of the patterns matches. */
export function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(text));
}

/** Trims a captured phrase: surrounding spaces and trailing punctuation. */
export function cleanCapture(value: string): string {
  return value.replace(/^[\s"“'(]+|[\s"”'),.;:!?]+$/gu, '').trim();
}

/** URLs in a text (with or without the scheme for well-known meeting hosts), trailing punctuation trimmed. */
export function findUrls(text: string): string[] {
  const urls: string[] = [];
  const pattern = /\b(?:https?:\/\/[^\s<>"']+|(?:www\.|zoom\.us\/|meet\.google\.com\/|teams\.microsoft\.com\/|teams\.live\.com\/|wa\.me\/)[^\s<>"']*)/giu;
  for (const match of text.matchAll(pattern)) {
    let url = match[0].replace(/[.,;:!?)\]}>]+$/u, '');
    if (!/^https?:\/\//i.test(url)) url = `https://${url}`;
    urls.push(url);
  }
  return urls;
}

export const EMAIL_PATTERN = /\b[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.[\p{L}]{2,}\b/gu;
