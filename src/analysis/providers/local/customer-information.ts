import type { DetectedEvent } from '../../analysis-provider.js';
import { wallClockOf } from '../../zoned-time.js';
import { monthNumber } from './dates.js';
import { numberFromWords } from './money.js';
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
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'tomorrow', 'today', 'back', 'later', 'next', 'segunda', 'terca',
    'quarta', 'quinta', 'sexta', 'sabado', 'domingo', 'amanha', 'hoje', 'depois', 'driving', 'walking', 'dirigindo', 'sixteen', 'seventeen',
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

const AGENT_ASKS_STUDENT = /\b(studied with us|student (?:here|with us)|taken (?:a|any) (?:course|class) with us|ja foi (?:nosso |nossa )?alun|ja estudou (?:com a gente|aqui|com a gente)|foi alun[oa]|estudou com a gente|ex-alun)/;

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

/** What the agent's turn asks the customer about, so that a bare answer can be read. */
type Question = 'NAME' | 'AGE' | 'EXAM' | 'COURSE' | 'GRADUATION';
const QUESTIONS: ReadonlyArray<readonly [Question, RegExp]> = [
  ['NAME', /\b(who am i speaking (?:with|to)|who'?s calling|(?:your|the) (?:first and last |full |first )?name|what'?s your name|may i have your name|com quem (?:eu )?falo|qual (?:e )?(?:o )?seu nome|seu nome|nome completo|como (?:voce )?se chama)\b/],
  ['AGE', /\b(how old|your age|quantos anos|sua idade)\b/],
  ['EXAM', /\b(when (?:are|do|will|would) you\b.{0,30}\b(?:take|sit|write)|when is (?:your|the) (?:exam|test)|quando (?:voce )?(?:vai|pretende|quer|planeja)\b.{0,20}\b(?:prestar|fazer)|quando e a (?:sua )?prova)\b/],
  ['COURSE', /\b(what (?:would you like|are you hoping|do you want|do you plan|are you planning) to study|what(?:'s| is) your (?:intended )?major|what do you want to major|(?:qual|que) curso|o que (?:voce )?(?:quer|pretende|gostaria de) (?:estudar|cursar|fazer))\b/],
  ['GRADUATION', /\b(where did you (?:finish|graduate|go to|study)|which (?:high )?school did you|onde (?:voce )?(?:terminou|fez|estudou|se formou|concluiu)|qual (?:colegio|escola) (?:voce )?(?:estudou|terminou))\b/],
];

export function questionOf(agent: PreparedMessage | undefined): Question | null {
  if (!agent) return null;
  return QUESTIONS.find(([, pattern]) => pattern.test(agent.folded))?.[0] ?? null;
}

const NUMBER_WORDS_RUN = String.raw`[a-z]+(?:[ -](?:e |and )?[a-z]+){0,3}`;

/** An age said in digits or words: "17", "seventeen", "dezessete", "vinte e dois". */
function ageValue(raw: string): number | null {
  const value = /^\d{1,2}$/.test(raw) ? Number(raw) : numberFromWords(raw);
  return value !== null && value >= 5 && value <= 99 ? value : null;
}

const AGE_STATEMENTS = [
  new RegExp(String.raw`\b(?:i'?m|i am|im)\s+(\d{1,2}|${NUMBER_WORDS_RUN}?)(?:\s*(?:years?\s*old|yo|y\/o))?(?=\s*(?:[.,!?;]|$|and\b|years?\b))`),
  new RegExp(String.raw`\btenho\s+(\d{1,2}|${NUMBER_WORDS_RUN}?)\s+anos\b`),
  new RegExp(String.raw`\b(?:my age is|minha idade e)\s+(\d{1,2}|${NUMBER_WORDS_RUN}?)\b`),
];

function ageStated(folded: string): number | null {
  for (const pattern of AGE_STATEMENTS) {
    const match = pattern.exec(folded);
    const value = match?.[1] ? ageValue(match[1].trim()) : null;
    if (value !== null) return value;
  }
  return null;
}

const SEASONS: Record<string, number> = { spring: 3, summer: 6, fall: 9, autumn: 9, winter: 12, primavera: 9, verao: 12, outono: 3, inverno: 6 };

/** A year said outright or relative to the reference: "2027", "next year", "this fall", "in January", "ano que vem", "em novembro". */
export function yearFrom(folded: string, reference: { year: number; month: number }): number | null {
  const explicit = /\b(20\d{2})\b/.exec(folded);
  if (explicit) return Number(explicit[1]);
  if (/\b(next year|ano que vem|proximo ano|no ano seguinte)\b/.test(folded)) return reference.year + 1;
  if (/\b(this year|esse ano|este ano|neste ano|nesse ano|end of (?:the|this) year|fim do ano|final do ano)\b/.test(folded)) return reference.year;
  const season = /\b(?:(this|next)\s+)?(spring|summer|fall|autumn|winter)\b|\b(?:(n[oa]|nest[ea]|proxim[oa])\s+)?(primavera|verao|outono|inverno)(?: (que vem))?\b/.exec(folded);
  if (season) {
    const name = season[2] ?? season[4]!;
    const next = season[1] === 'next' || /^proxim/.test(season[3] ?? '') || Boolean(season[5]);
    const start = SEASONS[name]!;
    if (season[1] === 'this') return reference.year;
    return next && start <= reference.month ? reference.year + 1 : start >= reference.month ? reference.year : reference.year + 1;
  }
  const month = /\b(?:in|em|no|de)\s+(january|february|march|april|may|june|july|august|september|october|november|december|janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro)\b/.exec(folded);
  if (month) {
    const number = monthNumber(month[1]!)!;
    return number >= reference.month ? reference.year : reference.year + 1;
  }
  return null;
}

const COURSES =
  String.raw`(?:medicina|medicine|direito|law|engenharia(?: [a-z]+)?|engineering|enfermagem|nursing|psicologia|psychology|administracao|business|arquitetura|architecture|odontologia|dentistry|computacao|ciencia da computacao|computer science|economia|economics|biologia|biology|farmacia|pharmacy|veterinaria|fisioterapia|nutricao|jornalismo|journalism|design|historia|history|matematica|mathematics|fisica|physics|quimica|chemistry)`;
const COURSE_AFTER_EXAM = new RegExp(String.raw`\b(?:prestar|vestibular|fazer|take|taking)\b[^.!?]{0,50}?\b(?:para|pra|for)\s+(${COURSES})\b`);

/** "Nursing at Boston College", "Medicina na USP": a course and an institution in one phrase. */
function courseAndInstitution(text: string): { course: string | null; institution: string | null } {
  const cleaned = cleanCapture(text.replace(/^(?:i want to study|i'?d like to study|i want|quero|queria|eu quero)\s+(?:fazer\s+|cursar\s+|estudar\s+)?/i, ''));
  const split = /^(.+?)\s+(?:at|na|no|em|in)\s+((?:the\s+)?\p{Lu}[\p{L}\d.'’&-]*(?:\s+(?:(?:de|da|do|of)\s+)?\p{Lu}[\p{L}\d.'’&-]*){0,5})/u.exec(cleaned);
  if (split) return { course: cleanCapture(split[1]!.split(/\s+(?:e|and)\s+|,/)[0]!), institution: cleanCapture(split[2]!).replace(/^the\s+/i, '') };
  const words = cleaned.split(/\s+/);
  return { course: words.length <= 4 && cleaned.length > 2 ? cleaned : null, institution: null };
}

/** The answer's institution: "No Colégio Santa Cruz.", "At Lincoln High." */
function institutionAnswer(text: string): string | null {
  const match = new RegExp(String.raw`(?:^|\b(?:at|from|in|no|na|em|do|da)\s+)(${INSTITUTION})`, 'u').exec(cleanCapture(text.replace(/^(?:i (?:graduated|finished|went to school|studied)\s+)?/i, '')));
  const value = match?.[1] ? capitalizedPrefix(match[1], INSTITUTION_PREFIX)?.replace(/^the\s+/i, '') : null;
  return value && /^\p{Lu}/u.test(value) && !/^(?:I|Yes|No|Sim|Não|Nao)$/u.test(value) ? value : null;
}

/** A name given on its own: "Dana Whitfield.", "It's Marcus Reyes.", "Rachel. Rachel Kim." */
function bareName(text: string): string | null {
  const stripped = text.replace(/^(?:(?:yes|sim|oi|hi|hello|ol[áa])[,!.]?\s+)?(?:it'?s|it is|this is|i'?m|my name is|(?:o )?meu nome [ée]|sou (?:o |a )?|[ée] (?:o |a )?|aqui [ée] (?:o |a )?)/iu, '');
  const names = [...stripped.matchAll(new RegExp(NAME, 'gu'))].map((match) => cleanCapture(match[0]));
  const best = names.sort((a, b) => b.split(/\s+/).length - a.split(/\s+/).length)[0];
  if (!best || NOT_NAMES.has(fold(best.split(/\s+/)[0] ?? ''))) return null;
  return best;
}

/** All facts the customer gave, first mention of each (subtype, value) only. */
export function extractCustomerFacts(context: AnalysisContext): CustomerFact[] {
  const facts: CustomerFact[] = [];
  const seen = new Set<string>();
  const seenSubtypes = new Set<CustomerInfoSubtype>();
  const add = (subtype: CustomerInfoSubtype, value: string | number | boolean | null, sequence: number, confidence: number): void => {
    if (value === null || value === '') return;
    const key = `${subtype}:${typeof value === 'string' ? fold(value) : String(value)}`;
    if (seen.has(key) || seenSubtypes.has(subtype)) return;
    seen.add(key);
    seenSubtypes.add(subtype);
    facts.push({ subtype, value, sequence, confidence });
  };
  const conversationHasExam = context.messages.some((message) => MENTIONS_EXAM.test(message.text));
  const referenceWall = wallClockOf(context.referenceTime.getTime(), context.timeZone);
  const reference = { year: referenceWall.year, month: referenceWall.month };
  let previousAgent: PreparedMessage | undefined;
  for (const message of context.messages) {
    if (message.role !== 'USER') {
      if (message.role === 'AGENT') previousAgent = message;
      continue;
    }
    // A bare answer to the agent's question first: it says what the words are.
    const question = questionOf(previousAgent);
    previousAgent = undefined;
    const short = message.text.split(/\s+/).length <= 8;
    if (question === 'NAME' && short) add('NAME', bareName(message.text), message.sequence, 0.85);
    if (question === 'AGE' && short) {
      const raw = /\b(\d{1,2})\b/.exec(message.folded)?.[1] ?? cleanCapture(message.folded.replace(/\b(?:i'?m|tenho|years?|old|anos|eu)\b/g, ' ').trim());
      add('AGE', ageValue(raw), message.sequence, 0.85);
    }
    if (question === 'EXAM') add('EXAM_YEAR', yearFrom(message.folded, reference), message.sequence, 0.8);
    if (question === 'COURSE' && short) {
      const { course, institution } = courseAndInstitution(message.text);
      if (course && !NOT_COURSES.has(fold(course))) add('COURSE_INTENDED', course, message.sequence, 0.8);
      if (institution) add('DESIRED_INSTITUTION', institution, message.sequence, 0.8);
    }
    if (question === 'GRADUATION' && short) add('GRADUATION_INSTITUTION', institutionAnswer(message.text), message.sequence, 0.8);

    add('NAME', nameFrom(message), message.sequence, 0.9);
    add('AGE', ageFrom(message) ?? ageStated(message.folded), message.sequence, 0.85);
    add('COURSE_INTENDED', courseFrom(message) ?? COURSE_AFTER_EXAM.exec(message.folded)?.[1] ?? null, message.sequence, 0.75);
    add('DESIRED_INSTITUTION', desiredFrom(message), message.sequence, 0.8);
    add('GRADUATION_INSTITUTION', graduationFrom(message), message.sequence, 0.8);
    add('EXAM_YEAR', examYearFrom(message, conversationHasExam, reference.year) ?? examYearRelative(message.folded, reference), message.sequence, 0.8);
    add('EXSTUDENT', exStudentFrom(message, previousAgentOf(context, message)), message.sequence, 0.75);
  }
  return facts;
}

/** "I'm taking the exam in January", "quero fazer o GMAT no ano que vem": the clause that names the exam. */
function examYearRelative(folded: string, reference: { year: number; month: number }): number | null {
  for (const clause of folded.split(/[.,;!?]|\s(?:and|but|e|mas)\s/)) {
    if (!new RegExp(String.raw`\b(?:enem|sat|act|mcat|lsat|gre|gmat|fuvest|unicamp|vestibular|exam|test|prova)\b`).test(clause)) continue;
    if (/\b(?:graduated|formei|formado|formada)\b/.test(clause)) continue;
    const year = yearFrom(clause, reference);
    if (year !== null && year >= reference.year - 1 && year <= reference.year + 6) return year;
  }
  return null;
}

function previousAgentOf(context: AnalysisContext, message: PreparedMessage): PreparedMessage | undefined {
  const index = context.messages.indexOf(message);
  for (let j = index - 1; j >= 0; j--) {
    const candidate = context.messages[j]!;
    if (candidate.role === 'AGENT') return candidate;
    if (candidate.role === 'USER') return undefined;
  }
  return undefined;
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
