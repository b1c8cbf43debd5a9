/** Type declarations for the untyped NLP packages the local provider uses. */

declare module 'stopword' {
  /** English stop words. */
  export const eng: string[];
  /** Brazilian Portuguese stop words. */
  export const porBr: string[];
  /** European Portuguese stop words. */
  export const por: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}

declare module '@nlpjs/lang-pt' {
  /** Snowball-style Portuguese stemmer. */
  export class StemmerPt {
    stem(word: string): string;
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
  /** Portuguese tokenizer; `normalize` lowercases and strips accents. */
  export class TokenizerPt {
    tokenize(text: string, normalize?: boolean): string[];
  }
}
