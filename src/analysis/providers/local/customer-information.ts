import type { DetectedEvent } from '../../analysis-provider.js';
import { cleanCapture, fold } from './text.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * CUSTOMER_INFORMATION_DETECTION from what the customer says about themselves (USER messages only):
 * NAME, AGE, GRADUATION_INSTITUTION, DESIRED_INSTITUTION, COURSE_INTENDED, EXAM_YEAR, EXSTUDENT,
 * each with payload { VALUE }. First-person phrasings in English and Portuguese; statements about
 * someone else ("my son is 17") do not match. Names and institutions must be capitalized as
 * people write them.
 */

export type CustomerInfoSubtype = 'NAME' | 'AGE' | 'GRADUATION_INSTITUTION' | 'DESIRED_INSTITUTION' | 'COURSE_INTENDED' | 'EXAM_YEAR' | 'EXSTUDENT';

export interface CustomerFact {
  subtype: CustomerInfoSubtype;
  value: string | number | boolean;
  sequence: number;
  confidence: number;
}

// A person's name: capitalized words, with Portuguese particles ("Ana da Silva", "João dos Santos").
const NAME = String.raw`\p{Lu}[\p{Ll}'’-]+(?:\s+(?:(?:da|de|do|das|dos|e)\s+)?\p{Lu}[\p{Ll}'’-]+){0,3}`;
// An institution: capitalized words or acronyms, with connecting words ("Universidade de São Paulo", "University of Michigan").
const INSTITUTION = String.raw`(?:the\s+)?\p{Lu}[\p{L}\d.'’&-]*(?:\s+(?:(?:de|da|do|das|dos|of|for|at)\s+)?\p{Lu}[\p{L}\d.'’&-]*){0,6}`;
// A course: one to four words, up to a preposition, a conjunction or punctuation.
const COURSE = String.raw`[\p{L}][\p{L}-]*(?:\s+(?:de\s+|of\s+|da\s+|do\s+)?[\p{L}][\p{L}-]*){0,3}?`;
const COURSE_END = String.raw`(?=\s+(?:at|in|na|no|em|on|because|porque|pois|and|e|mas|but|next|this|that|since|for|para|pra|,)\b|\s*[.,!?;:—–-]|\s*$)`;

/** Words after "I'm"/"sou" that are not names. */
const NOT_NAMES: ReadonlySet<string> = new Set(
  [
    'interested', 'calling', 'looking', 'not', 'just', 'still', 'sorry', 'fine', 'good', 'here', 'ok', 'okay', 'sure', 'ready', 'planning',
    'trying', 'at', 'in', 'a', 'an', 'the', 'brazilian', 'american', 'student', 'aluno', 'aluna', 'cliente', 'customer', 'new', 'really', 'so',
    'very', 'almost', 'also', 'going', 'thinking', 'hi', 'hello', 'yes', 'no', 'well', 'glad', 'happy', 'afraid', 'busy', 'working',
  ].map((word) => word.toLowerCase()),
);

const NOT_COURSES: ReadonlySet<string> = new Set(
  [
    'matricula', 'a matricula', 'inscricao', 'pagamento', 'isso', 'parte', 'o curso', 'curso', 'um curso', 'it', 'this', 'that', 'more', 'with you',
    'com voces', 'here', 'aqui', 'online', 'a prova', 'prova', 'the exam', 'exam', 'hard', 'harder', 'a lot', 'muito', 'mais', 'again', 'de novo',
    'enem', 'vestibular', 'o enem', 'o vestibular', 'cursinho', 'o cursinho', 'sat', 'the sat',
  ].map(fold),
);

const EXAMS = String.raw`(?:ENEM|SAT|ACT|MCAT|LSAT|GRE|GMAT|Fuvest|Unicamp|vestibular(?:es)?|exam|exams|test|prova|provas)`;

/**
 * Lead-in phrases are matched case-insensitively, which makes \p{Lu} match lowercase letters too:
 * re-read the capture case-sensitively and keep its properly capitalized beginning.
 */
function capitalizedPrefix(raw: string, prefix: RegExp): string | null {
  const match = prefix.exec(raw.trim());
  return match ? cleanCapture(match[0]) : null;
}

// Compiled once: the extractors run over every user message of every analysed conversation.
const NAME_PREFIX = new RegExp(`^(?:${NAME})`, 'u');
const INSTITUTION_PREFIX = new RegExp(`^(?:${INSTITUTION})`, 'u');
const MENTIONS_EXAM = new RegExp(String.raw`\b${EXAMS}\b`, 'i');

const NAME_PATTERNS = [
  new RegExp(String.raw`\b(?:my name is|my name's|name's|i am called|call me)\s+(${NAME})`, 'iu'),
  new RegExp(String.raw`\b(?:meu nome [ée]|me chamo|pode me chamar de|aqui [ée] (?:o|a))\s+(${NAME})`, 'iu'),
  new RegExp(String.raw`(?:^|[.!?,]\s*|\b(?:hi|hello|hey|oi|ol[áa]|yes|sim)[,!]?\s+)(?:i'm|i am|this is|it's|sou (?:o|a)|sou)\s+(${NAME})`, 'iu'),
];

const AGE_PATTERNS = [
  /\b(?:i'm|i am|im)\s+(\d{1,2})(?:\s*(?:years?\s*old|yo|y\/o))?(?=\s*(?:[.,!?;]|$|and\b|years?\b|,))/,
  /\b(?:my age is|age:)\s*(\d{1,2})\b/,
  /\btenho\s+(\d{1,2})\s+anos\b/,
  /\b(?:minha idade e|idade:)\s*(\d{1,2})\b/,
  /\b(?:i turned|i'll be|i will be|fiz|vou fazer)\s+(\d{1,2})\s*(?:years?|anos)\b/,
];

const EXAM_YEAR_PATTERNS = [new RegExp(String.raw`\b${EXAMS}\b[^.!?]{0,30}?\b(20\d{2})\b`, 'iu'), new RegExp(String.raw`\b(20\d{2})\s+${EXAMS}\b`, 'iu')];
/** Only once the conversation has named an exam: "I'll take it in 2027". */
const TAKING_IT_IN_YEAR_PATTERNS = [
  /\b(?:take|taking|sit|sitting|write|writing|do|doing)\s+(?:it|the test|the exam)?\s*(?:in|on)\s+(20\d{2})\b/i,
  /\b(?:prestar|prestando|fazer a prova|fazer o exame|vou prestar|vou fazer)\b[^.!?]{0,20}?\b(?:em|no|na)\s+(20\d{2})\b/i,
];

const GRADUATION_PATTERNS = [
  new RegExp(String.raw`\b(?:I graduated from|graduated from|I studied at|I went to|I'm at|I am at|I attend|I go to|I'm studying at|I study at|I'm a (?:student|senior|junior|sophomore|freshman) at)\s+(${INSTITUTION})`, 'iu'),
  new RegExp(String.raw`\b(?:me formei|formei|me formo|estudei|estudo|estou estudando|terminei o ensino m[ée]dio|fiz o ensino m[ée]dio|sou alun[oa])\s+(?:n[oa]s?|em)\s+(${INSTITUTION})`, 'iu'),
];

const DESIRED_PATTERNS = [
  new RegExp(
    String.raw`\b(?:want to (?:get into|go to|attend|study at)|hoping to get into|hope to get into|dream (?:school|university|college) is|applying to|apply to|get into)\s+(${INSTITUTION})`,
    'iu',
  ),
  new RegExp(String.raw`\b(?:want to|would like to|I'd like to|planning to|plan to)\s+(?:study|major in|do)\s+[^.!?]{1,40}?\s+at\s+(${INSTITUTION})`, 'iu'),
  new RegExp(
    String.raw`\b(?:quero|queria|pretendo|gostaria de|sonho em|meu sonho [ée])\s+(?:entrar|passar|estudar|cursar|fazer(?: faculdade)?)\s+(?:[^.!?]{1,40}?\s+)?(?:n[oa]|em)\s+(${INSTITUTION})`,
    'iu',
  ),
];

const COURSE_PATTERNS = [
  new RegExp(String.raw`\b(?:want to|would like to|I'd like to|planning to|plan to|hope to|going to)\s+(?:study|major in)\s+(${COURSE})${COURSE_END}`, 'iu'),
  new RegExp(String.raw`\b(?:my major (?:is|will be)|I'm majoring in|interested in studying)\s+(${COURSE})${COURSE_END}`, 'iu'),
  new RegExp(
    String.raw`\b(?:quero|queria|pretendo|gostaria de|sonho em|vou)\s+(?:cursar|fazer|estudar|prestar(?: vestibular)? para)\s+(?:o curso de\s+|curso de\s+|faculdade de\s+|vestibular (?:para|de)\s+)?(${COURSE})${COURSE_END}`,
    'iu',
  ),
];

function nameFrom(message: PreparedMessage): string | null {
  for (const pattern of NAME_PATTERNS) {
    const match = pattern.exec(message.text);
    const raw = match?.[1];
    if (!raw) continue;
    const name = capitalizedPrefix(raw, NAME_PREFIX);
    if (!name) continue;
    const firstWord = fold(name.split(/\s+/)[0] ?? '');
    if (NOT_NAMES.has(firstWord)) continue;
    if (!/^\p{Lu}/u.test(name)) continue;
    return name;
  }
  return null;
}

function ageFrom(message: PreparedMessage): number | null {
  for (const pattern of AGE_PATTERNS) {
    const match = pattern.exec(message.folded);
    if (!match?.[1]) continue;
    const age = Number(match[1]);
    if (age >= 5 && age <= 99) return age;
  }
  return null;
}

function examYearFrom(message: PreparedMessage, conversationHasExam: boolean, referenceYear: number): number | null {
  const patterns = conversationHasExam ? [...EXAM_YEAR_PATTERNS, ...TAKING_IT_IN_YEAR_PATTERNS] : EXAM_YEAR_PATTERNS;
  for (const pattern of patterns) {
    const match = pattern.exec(message.text);
    if (!match?.[1]) continue;
    const year = Number(match[1]);
    if (year >= referenceYear - 1 && year <= referenceYear + 6) return year;
  }
  return null;
}

/** The first properly capitalized institution one of `patterns` captures. */
function institutionFrom(message: PreparedMessage, patterns: readonly RegExp[]): string | null {
  for (const pattern of patterns) {
    const raw = pattern.exec(message.text)?.[1];
    if (!raw) continue;
    const value = capitalizedPrefix(raw, INSTITUTION_PREFIX)?.replace(/^the\s+/i, '');
    if (value && /^\p{Lu}/u.test(value)) return value;
  }
  return null;
}

const graduationFrom = (message: PreparedMessage) => institutionFrom(message, GRADUATION_PATTERNS);
const desiredFrom = (message: PreparedMessage) => institutionFrom(message, DESIRED_PATTERNS);

function courseFrom(message: PreparedMessage): string | null {
  for (const pattern of COURSE_PATTERNS) {
    const raw = pattern.exec(message.text)?.[1];
    if (!raw) continue;
    const value = cleanCapture(raw);
    const folded = fold(value);
    if (!value || NOT_COURSES.has(folded) || /^(a|o|um|uma|the|an?|my|meu|minha)\s/.test(folded) || /\d/.test(folded)) continue;
    return value;
  }
  return null;
}

const AGENT_ASKS_STUDENT = /\b(studied with us|student (?:here|with us)|taken (?:a|any) (?:course|class) with us|ja foi alun|ja estudou (?:com a gente|aqui|com a gente)|foi alun[oa]|estudou com a gente|ex-alun)/;

function exStudentFrom(message: PreparedMessage, previousAgent: PreparedMessage | undefined): boolean | null {
  const text = message.folded;
  if (
    /\b(i (?:was|used to be) (?:a )?(?:student|enrolled)\b(?! at)|former student|alumn(?:us|a|i)\b|i(?:'ve| have)? (?:studied|took (?:a |your |the )?[\w ]{0,30}?(?:course|class|program)) with you|(?:already|also) took your|ja fui alun[oa]|fui alun[oa]|ex-alun[oa]|ja estudei (?:com voces|ai|aqui)|estudei com voces|fiz (?:o |a )?[\w ]{0,30}? com voces)/.test(
      text,
    )
  ) {
    return true;
  }
  if (/\b(never (?:studied|been a student) (?:with|here)|nunca (?:fui alun|estudei com voces|estudei ai))/.test(text)) return false;
  if (previousAgent && AGENT_ASKS_STUDENT.test(previousAgent.folded)) {
    if (/\b(first time|primeira vez)\b/.test(text) || /^(no|nope|nao)\b/.test(text)) return false;
    if (/^(yes|yeah|yep|sim|ja)\b/.test(text)) return true;
  }
  return null;
}

/** All facts the customer gave, first mention of each (subtype, value) only. */
export function extractCustomerFacts(context: AnalysisContext): CustomerFact[] {
  const facts: CustomerFact[] = [];
  const seen = new Set<string>();
  const add = (subtype: CustomerInfoSubtype, value: string | number | boolean | null, sequence: number, confidence: number): void => {
    if (value === null) return;
    const key = `${subtype}:${typeof value === 'string' ? fold(value) : String(value)}`;
    if (seen.has(key)) return;
    seen.add(key);
    facts.push({ subtype, value, sequence, confidence });
  };
  const conversationHasExam = context.messages.some((message) => MENTIONS_EXAM.test(message.text));
  const referenceYear = context.referenceTime.getUTCFullYear();
  let previousAgent: PreparedMessage | undefined;
  for (const message of context.messages) {
    if (message.role !== 'USER') {
      if (message.role === 'AGENT') previousAgent = message;
      continue;
    }
    add('NAME', nameFrom(message), message.sequence, 0.9);
    add('AGE', ageFrom(message), message.sequence, 0.85);
    add('COURSE_INTENDED', courseFrom(message), message.sequence, 0.8);
    add('DESIRED_INSTITUTION', desiredFrom(message), message.sequence, 0.8);
    add('GRADUATION_INSTITUTION', graduationFrom(message), message.sequence, 0.8);
    add('EXAM_YEAR', examYearFrom(message, conversationHasExam, referenceYear), message.sequence, 0.85);
    add('EXSTUDENT', exStudentFrom(message, previousAgent), message.sequence, 0.75);
  }
  return facts;
}

export function customerInformationEvents(facts: readonly CustomerFact[]): DetectedEvent[] {
  return facts.map((fact) => ({
    eventType: 'CUSTOMER_INFORMATION_DETECTION',
    eventSubtype: fact.subtype,
    payload: { VALUE: fact.value },
    confidence: fact.confidence,
    contextStartIndex: fact.sequence,
    contextEndIndex: fact.sequence,
  }));
}
