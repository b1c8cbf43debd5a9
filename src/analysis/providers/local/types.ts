import type { AnalysisInput } from '../../analysis-provider.js';
import type { SenderRole } from '../../../generated/prisma/enums.js';

export type Lang = 'en' | 'pt';

/** One message, with its text folded for matching (lowercase, no accents, single spaces). */
export interface PreparedMessage {
  sequence: number;
  role: SenderRole;
  text: string;
  folded: string;
}

/** What every detector reads: the input, the messages in order, the language and the zone. */
export interface AnalysisContext {
  input: AnalysisInput;
  messages: PreparedMessage[];
  lang: Lang;
  timeZone: string;
  referenceTime: Date;
}
