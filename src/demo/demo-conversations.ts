import type { ActionStatus, Channel, Direction, EndedBy, EventType, Outcome, SentimentLabel, TicketAction } from '../generated/prisma/enums.js';
import type {
  IngestAction,
  IngestAgent,
  IngestContact,
  IngestConversationCommand,
  IngestEvent,
  IngestMessage,
  IngestTicket,
  IngestTransfer,
} from '../ingest/ingest.command.js';
import { Prng } from './prng.js';

/**
 * Deterministic demo data: realistic conversations of a demo organization (support calls of AI
 * voice bots with function calls, ServiceNow tickets and transfers to humans; sales/education
 * conversations in English and Portuguese with the seed's event catalog). The same options always
 * give the same (deep-equal) output; nothing reads the clock or Math.random.
 */
export interface DemoConversationOptions {
  /** How many conversations to generate. */
  count: number;
  /** PRNG seed (an unsigned 32-bit integer; default 1). */
  seed?: number;
  /** The conversations start within the 30 days before this instant (default 2026-11-01T12:00:00Z). */
  now?: Date;
  /** The conversations' origin and external id prefix (default 'demo'). */
  origin?: string;
}

export const DEMO_DEFAULT_NOW = new Date('2026-11-01T12:00:00Z');
export const DEMO_DEFAULT_SEED = 1;
export const DEMO_DEFAULT_ORIGIN = 'demo';
/** Contacts are 'contact-1' … 'contact-600'; a contact's fields depend only on its number. */
export const DEMO_CONTACT_POOL_SIZE = 600;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One independent stream per conversation, so conversation i does not depend on `count`. */
function conversationSeed(seed: number, index: number): number {
  let h = (seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ───────────── small helpers ─────────────

type Lang = 'en' | 'pt';
type EndReason = 'user_hangup' | 'agent_hangup' | 'timeout';

const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const round2 = (value: number): number => Math.round(value * 100) / 100;
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`index ${index} out of range`);
  return item;
}

function money(lang: Lang, amount: number): string {
  const digits = String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'pt' ? '.' : ',');
  return lang === 'pt' ? `R$ ${digits}` : `$${digits}`;
}

function stripAccents(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

// ───────────── time zones and dates ─────────────

/** en contacts live in US Eastern time (with DST), pt contacts in São Paulo (UTC−3, no DST). */
function zoneOffsetMinutes(lang: Lang, utcMs: number): number {
  if (lang === 'pt') return -180;
  const year = new Date(utcMs).getUTCFullYear();
  const marchFirst = new Date(Date.UTC(year, 2, 1)).getUTCDay();
  const secondSundayOfMarch = 1 + ((7 - marchFirst) % 7) + 7;
  const novemberFirst = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstSundayOfNovember = 1 + ((7 - novemberFirst) % 7);
  const dstStart = Date.UTC(year, 2, secondSundayOfMarch, 7); // 02:00 EST
  const dstEnd = Date.UTC(year, 10, firstSundayOfNovember, 6); // 02:00 EDT
  return utcMs >= dstStart && utcMs < dstEnd ? -240 : -300;
}

/** The wall-clock fields of an instant in the language's zone (read with getUTC*). */
function wallClock(lang: Lang, utcMs: number): Date {
  return new Date(utcMs + zoneOffsetMinutes(lang, utcMs) * MINUTE_MS);
}

/** The instant of a wall-clock time in the language's zone. */
function fromWallClock(lang: Lang, year: number, month: number, day: number, hour: number, minute: number): number {
  const asUtc = Date.UTC(year, month, day, hour, minute);
  const guess = asUtc - (lang === 'pt' ? -180 : -300) * MINUTE_MS;
  return asUtc - zoneOffsetMinutes(lang, guess) * MINUTE_MS;
}

/** ISO 8601 with the zone's offset, e.g. 2026-11-05T19:00:00-03:00. */
function isoWithOffset(lang: Lang, utcMs: number): string {
  const offset = zoneOffsetMinutes(lang, utcMs);
  const wall = new Date(utcMs + offset * MINUTE_MS);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)}` +
    `T${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}:${pad(wall.getUTCSeconds(), 2)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
  );
}

const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const WEEKDAYS_PT = ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'] as const;
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

interface Appointment {
  utcMs: number;
  iso: string;
  /** e.g. "Thursday, November 5 at 7 PM" / "quinta-feira, 05/11, às 19h". */
  spoken: string;
  /** e.g. "Thursday at 7 PM" / "quinta às 19h". */
  short: string;
}

/** A weekday `daysAhead` (or the next weekday after it) from `fromMs`, at a wall-clock hour. */
function appointment(lang: Lang, fromMs: number, daysAhead: number, hour: number, minute: number): Appointment {
  const start = wallClock(lang, fromMs);
  let day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + daysAhead));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() + DAY_MS);
  const utcMs = fromWallClock(lang, day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute);
  const tomorrow = Math.round((day.getTime() - Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate())) / DAY_MS) === 1;
  const weekday = day.getUTCDay();
  if (lang === 'pt') {
    const time = `${hour}h${minute ? pad(minute, 2) : ''}`;
    const date = `${pad(day.getUTCDate(), 2)}/${pad(day.getUTCMonth() + 1, 2)}`;
    const name = at(WEEKDAYS_PT, weekday);
    return {
      utcMs,
      iso: isoWithOffset(lang, utcMs),
      spoken: tomorrow ? `amanhã, ${date}, às ${time}` : `${name}, ${date}, às ${time}`,
      short: tomorrow ? `amanhã às ${time}` : `${name.replace('-feira', '')} às ${time}`,
    };
  }
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const time = `${h12}${minute ? `:${pad(minute, 2)}` : ''} ${hour < 12 ? 'AM' : 'PM'}`;
  const name = at(WEEKDAYS_EN, weekday);
  return {
    utcMs,
    iso: isoWithOffset(lang, utcMs),
    spoken: tomorrow ? `tomorrow at ${time}` : `${name}, ${at(MONTHS_EN, day.getUTCMonth())} ${day.getUTCDate()} at ${time}`,
    short: tomorrow ? `tomorrow at ${time}` : `${name} at ${time}`,
  };
}

function spokenDate(lang: Lang, utcMs: number): string {
  const wall = wallClock(lang, utcMs);
  return lang === 'pt'
    ? `${at(WEEKDAYS_PT, wall.getUTCDay())}, ${pad(wall.getUTCDate(), 2)}/${pad(wall.getUTCMonth() + 1, 2)}`
    : `${at(WEEKDAYS_EN, wall.getUTCDay())}, ${at(MONTHS_EN, wall.getUTCMonth())} ${wall.getUTCDate()}`;
}

// ───────────── the cast ─────────────

type AgentKey = 'ava' | 'leo' | 'luna' | 'max' | 'sarah' | 'rafael';

interface AgentDefinition {
  externalId: string;
  name: string;
  email: string;
  phoneNumber: string;
  internal: boolean;
  human: boolean;
  role: string;
  languages: readonly string[];
  channels: readonly Channel[];
}

const AGENTS: Readonly<Record<AgentKey, AgentDefinition>> = {
  ava: {
    externalId: 'agent-ava',
    name: 'Ava — support bot',
    email: 'ava.bot@alma-demo.example',
    phoneNumber: '+18005550199',
    internal: false,
    human: false,
    role: 'support',
    languages: ['en-US', 'pt-BR'],
    channels: ['VOICE'],
  },
  leo: {
    externalId: 'agent-leo',
    name: 'Leo — sales bot',
    email: 'leo.bot@alma-demo.example',
    phoneNumber: '+18005550142',
    internal: false,
    human: false,
    role: 'sales',
    languages: ['en-US'],
    channels: ['VOICE', 'CHAT', 'WHATSAPP'],
  },
  luna: {
    externalId: 'agent-luna',
    name: 'Luna — admissions bot',
    email: 'luna.bot@alma-demo.example',
    phoneNumber: '+551140040142',
    internal: false,
    human: false,
    role: 'admissions',
    languages: ['pt-BR'],
    channels: ['VOICE', 'CHAT', 'WHATSAPP'],
  },
  max: {
    externalId: 'agent-max',
    name: 'Max — billing bot',
    email: 'max.bot@alma-demo.example',
    phoneNumber: '+18005550177',
    internal: false,
    human: false,
    role: 'billing',
    languages: ['en-US', 'pt-BR'],
    channels: ['VOICE'],
  },
  sarah: {
    externalId: 'agent-sarah-mitchell',
    name: 'Sarah Mitchell',
    email: 'sarah.mitchell@alma-demo.example',
    phoneNumber: '+15555550100',
    internal: true,
    human: true,
    role: 'support_and_enrollment_specialist',
    languages: ['en-US'],
    channels: ['VOICE', 'CHAT', 'WHATSAPP'],
  },
  rafael: {
    externalId: 'agent-rafael-souza',
    name: 'Rafael Souza',
    email: 'rafael.souza@alma-demo.example',
    phoneNumber: '+5511955550100',
    internal: true,
    human: true,
    role: 'senior_consultant',
    languages: ['pt-BR', 'en-US'],
    channels: ['VOICE', 'CHAT', 'WHATSAPP'],
  },
};

const AGENT_BY_EXTERNAL_ID = new Map<string, AgentDefinition>(Object.values(AGENTS).map((agent) => [agent.externalId, agent]));

/** The demo organization's agents (external ids are stable). */
export const DEMO_AGENT_EXTERNAL_IDS: readonly string[] = Object.values(AGENTS).map((agent) => agent.externalId);

const humanFor = (lang: Lang): AgentKey => (lang === 'pt' ? 'rafael' : 'sarah');
const isHuman = (agentId: string | null | undefined): boolean => (agentId ? (AGENT_BY_EXTERNAL_ID.get(agentId)?.human ?? false) : false);

// ───────────── contacts ─────────────

const FIRST_EN = ['Emma', 'Olivia', 'Liam', 'Noah', 'James', 'Sophia', 'Grace', 'Michael', 'Emily', 'Daniel', 'Chloe', 'Ethan', 'Hannah', 'Jacob', 'Madison', 'Ryan', 'Lily', 'Tyler'] as const;
const LAST_EN = ['Johnson', 'Williams', 'Brown', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King'] as const;
const FIRST_PT = ['Maria', 'João', 'Ana', 'Pedro', 'Beatriz', 'Lucas', 'Mariana', 'Gabriel', 'Júlia', 'Larissa', 'Mateus', 'Camila', 'Gustavo', 'Letícia', 'Felipe', 'Isabela', 'Thiago', 'Luana'] as const;
const LAST_PT = ['Silva', 'Santos', 'Oliveira', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Araújo', 'Fernandes', 'Carvalho', 'Gomes', 'Ribeiro', 'Barbosa', 'Moraes', 'Cardoso'] as const;
const FEMALE_NAMES: ReadonlySet<string> = new Set([
  'Emma', 'Olivia', 'Sophia', 'Grace', 'Emily', 'Chloe', 'Hannah', 'Madison', 'Lily',
  'Maria', 'Ana', 'Beatriz', 'Mariana', 'Júlia', 'Larissa', 'Camila', 'Letícia', 'Isabela', 'Luana',
]);
const AREA_EN = ['212', '617', '312', '415', '305', '512', '206'] as const;
const CITY_EN = ['New York', 'Boston', 'Chicago', 'San Francisco', 'Miami', 'Austin', 'Seattle'] as const;
const AREA_PT = ['11', '21', '31', '41', '51', '61', '71'] as const;
const CITY_PT = ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Porto Alegre', 'Brasília', 'Salvador'] as const;

interface DemoContact {
  n: number;
  lang: Lang;
  /** For Portuguese agreement (obrigado/obrigada, bem-vindo/bem-vinda). */
  female: boolean;
  externalId: string;
  firstName: string;
  fullName: string;
  email: string;
  identifier: string;
  phoneNumber: string;
  city: string;
  priority: number;
  doNotDisturb: boolean;
  sourceMethod: 'api' | 'csv' | 'web_form';
  createdAtMs: number;
}

/** 40% of contacts speak Portuguese. */
const contactLang = (n: number): Lang => (n % 5 === 1 || n % 5 === 3 ? 'pt' : 'en');

function demoContact(n: number): DemoContact {
  const lang = contactLang(n);
  const firstNames = lang === 'pt' ? FIRST_PT : FIRST_EN;
  const lastNames = lang === 'pt' ? LAST_PT : LAST_EN;
  const firstName = at(firstNames, (n * 7 + 3) % firstNames.length);
  const lastName = at(lastNames, (n * 11 + 5) % lastNames.length);
  const local = `${stripAccents(firstName).toLowerCase()}.${stripAccents(lastName).toLowerCase()}${n}`;
  const cityIndex = (n * 3) % AREA_EN.length;
  const phoneNumber =
    lang === 'pt' ? `+55${at(AREA_PT, cityIndex)}9${pad(81_000_000 + n * 7_919, 8)}` : `+1${at(AREA_EN, cityIndex)}555${pad(n % 10_000, 4)}`;
  return {
    n,
    lang,
    female: FEMALE_NAMES.has(firstName),
    externalId: `contact-${n}`,
    firstName,
    fullName: `${firstName} ${lastName}`,
    email: `${local}@example.com`,
    identifier: local,
    phoneNumber,
    city: lang === 'pt' ? at(CITY_PT, cityIndex) : at(CITY_EN, cityIndex),
    priority: 1 + (n % 3),
    doNotDisturb: n % 47 === 0,
    sourceMethod: n % 3 === 0 ? 'csv' : n % 3 === 1 ? 'api' : 'web_form',
    createdAtMs: Date.UTC(2025, 0, 1) + n * 7 * HOUR_MS,
  };
}

let contactPool: { en: DemoContact[]; pt: DemoContact[] } | null = null;

function contactsByLang(): { en: DemoContact[]; pt: DemoContact[] } {
  if (!contactPool) {
    const pool: { en: DemoContact[]; pt: DemoContact[] } = { en: [], pt: [] };
    for (let n = 1; n <= DEMO_CONTACT_POOL_SIZE; n++) {
      const contact = demoContact(n);
      pool[contact.lang].push(contact);
    }
    contactPool = pool;
  }
  return contactPool;
}

// ───────────── the draft a scenario writes ─────────────

/** Portuguese customer lines are written in the masculine; a woman says "obrigada", "decidida", "cobrada". */
function feminine(text: string): string {
  return text.replace(/\b([Oo]brigad|[Dd]ecidid|[Cc]obrad)o\b/g, '$1a');
}

interface DraftTransfer {
  seq: number;
  agentId: string;
  destination: string;
  startedAt: number;
  userJoinedAt: number;
}

const FLAKY_CALL: ReadonlyArray<readonly ['none' | 'TIMEOUT' | 'RETRY', number]> = [
  ['none', 0.84],
  ['TIMEOUT', 0.08],
  ['RETRY', 0.08],
];

/**
 * A conversation being written: messages alternate AGENT/USER from sequence 0. The output objects
 * are built here directly; assembly only cuts them (ongoing/abandoned) and fills in ids.
 */
class Draft {
  readonly messages: IngestMessage[] = [];
  /** Per message: when it was sent (ms) and the speaker's mood (the sentiment before noise). */
  readonly times: number[] = [];
  readonly moods: number[] = [];
  /** Actions (messageSequence set) and events (contextEndIndex set), in order. */
  readonly actions: IngestAction[] = [];
  readonly events: IngestEvent[] = [];
  readonly tickets: IngestTicket[] = [];
  readonly ticketSequences: number[] = [];
  readonly transfers: DraftTransfer[] = [];
  /** Why the previous agent handed off, at the first sequence of the new agent. */
  readonly handoffs: Array<string | undefined> = [];
  private pendingHandoff: string | null = null;
  private clock: number;
  agentId: string;

  constructor(
    readonly rng: Prng,
    readonly lang: Lang,
    readonly channel: Channel,
    readonly startMs: number,
    agent: AgentKey,
    private readonly femaleUser: boolean,
  ) {
    this.agentId = AGENTS[agent].externalId;
    this.clock = startMs + rng.int(400, 2_500);
  }

  t(en: string, pt: string): string {
    return this.lang === 'pt' ? pt : en;
  }

  get time(): number {
    return this.clock;
  }

  get length(): number {
    return this.messages.length;
  }

  agent(text: string, mood = 0.35): number {
    if (this.messages.length % 2 !== 0) throw new Error(`demo script: message ${this.messages.length} must be a USER message`);
    return this.push('AGENT', text, mood);
  }

  user(text: string, mood = 0.1): number {
    if (this.messages.length % 2 !== 1) throw new Error(`demo script: message ${this.messages.length} must be an AGENT message`);
    return this.push('USER', this.lang === 'pt' && this.femaleUser ? feminine(text) : text, mood);
  }

  /** "Bem-vindo" / "Bem-vinda" for the customer. */
  welcome(capitalized: boolean): string {
    return `${capitalized ? 'B' : 'b'}em-vind${this.femaleUser ? 'a' : 'o'}`;
  }

  /** The next AGENT message is written by `to`. */
  handoff(to: AgentKey, reason: string): void {
    this.agentId = AGENTS[to].externalId;
    this.pendingHandoff = reason;
  }

  /** A function call made by the current agent, attached to its last message. */
  action(
    functionName: string,
    status: ActionStatus,
    inputParameters: Record<string, unknown>,
    outputResponse: unknown,
    options: { errorMessage?: string; retryCount?: number } = {},
  ): void {
    const seq = this.lastAgentSequence();
    const { rng } = this;
    const executionTimeMs =
      status === 'TIMEOUT' ? 5_000 : status === 'SUCCESS' ? rng.int(120, 1_800) : status === 'RETRY' ? rng.int(150, 700) : rng.int(200, 900);
    this.clock += rng.int(150, 700);
    this.actions.push({
      externalId: null,
      agentExternalId: this.agentId,
      messageSequence: seq,
      functionName,
      status,
      inputParameters,
      outputResponse,
      executionTimeMs,
      errorMessage: options.errorMessage ?? null,
      retryCount: options.retryCount ?? 0,
      occurredAt: new Date(this.clock),
    });
    this.clock += executionTimeMs;
  }

  /** A successful call, sometimes after a flaky first attempt (TIMEOUT or RETRY). */
  call(functionName: string, inputParameters: Record<string, unknown>, outputResponse: unknown): void {
    const flaky = this.rng.weighted(FLAKY_CALL);
    if (flaky === 'TIMEOUT') {
      this.action(functionName, 'TIMEOUT', inputParameters, null, { errorMessage: 'Upstream service did not answer within 5000 ms' });
    } else if (flaky === 'RETRY') {
      this.action(functionName, 'RETRY', inputParameters, { httpStatus: 503 }, { errorMessage: 'HTTP 503 Service Unavailable — retrying' });
    }
    this.action(functionName, 'SUCCESS', inputParameters, outputResponse, { retryCount: flaky === 'none' ? 0 : 1 });
  }

  ticket(ticketId: string, action: TicketAction, status: string, reason: string): void {
    this.ticketSequences.push(this.lastAgentSequence());
    this.tickets.push({ ticketSystem: 'ServiceNow', ticketId, action, status, reason, occurredAt: new Date(this.clock) });
  }

  /** A telephony transfer to a human, announced by the current agent's last message; the caller holds. */
  transfer(to: AgentKey): void {
    const startedAt = this.clock + this.rng.int(500, 1_500);
    const userJoinedAt = startedAt + this.rng.int(15_000, 75_000);
    this.transfers.push({ seq: this.lastAgentSequence(), agentId: this.agentId, destination: AGENTS[to].phoneNumber, startedAt, userJoinedAt });
    this.clock = userJoinedAt;
  }

  event(
    eventType: EventType,
    payload: Record<string, unknown>,
    from: number,
    to: number,
    extra: { subtype?: string; followUpScore?: number } = {},
  ): void {
    const event: IngestEvent = {
      externalId: null,
      eventType,
      eventSubtype: extra.subtype ?? null,
      // A key that was not said is absent, never null (the catalog's payload contract).
      payload: Object.fromEntries(Object.entries(payload).filter(([, value]) => value != null)),
      agentExternalId: this.agentId,
      confidence: round2(this.rng.float(0.78, 0.99)),
      contextStartIndex: from,
      contextEndIndex: to,
    };
    if (extra.followUpScore !== undefined) event.followUpScore = extra.followUpScore;
    this.events.push(event);
  }

  info(subtype: string, value: string | number | boolean, seq: number): void {
    this.event('CUSTOMER_INFORMATION_DETECTION', { VALUE: value }, seq, seq, { subtype });
  }

  stage(oldStage: string | null, newStage: string, from: number, to: number): void {
    this.event('SALES_STAGE_CHANGE', { OLD_STAGE: oldStage, NEW_STAGE: newStage }, from, to);
  }

  private lastAgentSequence(): number {
    const seq = this.messages.length - 1;
    if (seq < 0 || seq % 2 !== 0) throw new Error('demo script: actions, tickets and transfers follow an AGENT message');
    return seq;
  }

  private push(role: 'AGENT' | 'USER', text: string, mood: number): number {
    const seq = this.messages.length;
    if (seq > 0) this.clock += this.gap(role, text);
    if (role === 'AGENT' && this.pendingHandoff !== null) {
      this.handoffs[seq] = this.pendingHandoff;
      this.pendingHandoff = null;
    }
    this.messages.push({
      sequence: seq,
      senderRole: role,
      agentExternalId: role === 'AGENT' ? this.agentId : null,
      contactExternalId: null,
      content: text,
      type: 'TEXT',
      subchannel: null,
      sentAt: new Date(this.clock),
      // Filled in when the conversation is assembled.
      sentimentScore: null,
      speechToTextConfidence: null,
    });
    this.times.push(this.clock);
    this.moods.push(mood);
    return seq;
  }

  /** Milliseconds between the previous message and this one: a few seconds. */
  private gap(role: 'AGENT' | 'USER', text: string): number {
    const { rng } = this;
    const human = role === 'USER' || isHuman(this.agentId);
    if (this.channel === 'VOICE') {
      // The previous utterance is spoken (~15 characters a second), then a short pause.
      const previous = this.messages[this.messages.length - 1]?.content.length ?? 0;
      return Math.min(15_000, previous * 65) + (human ? rng.int(300, 1_800) : rng.int(500, 1_300));
    }
    if (!human) return rng.int(900, 2_800);
    const typing = Math.min(30_000, text.length * rng.int(90, 200));
    return this.channel === 'WHATSAPP' ? typing + rng.int(2_000, 60_000) : typing + rng.int(1_000, 8_000);
  }
}

// ───────────── scenario results ─────────────

interface ScenarioResult {
  outcome: Outcome;
  outcomeReason: string;
  summary: string;
  topics: string[];
}

interface ScenarioContext {
  d: Draft;
  rng: Prng;
  lang: Lang;
  contact: DemoContact;
  channel: Channel;
}

// ───────────── support calls (VOICE) ─────────────

type SupportIssue = 'password' | 'order' | 'billing' | 'technical';

const SUPPORT_ISSUES: ReadonlyArray<readonly [SupportIssue, number]> = [
  ['password', 0.3],
  ['order', 0.25],
  ['billing', 0.2],
  ['technical', 0.25],
];

function supportCall(ctx: ScenarioContext): ScenarioResult {
  const { d, rng, lang, contact } = ctx;
  const first = contact.firstName;
  const customerId = `CUS-${100_000 + contact.n}`;
  const issue = rng.weighted(SUPPORT_ISSUES);
  const orderId = `NW-${rng.int(100_000, 999_999)}`;

  d.agent(
    rng.pick([
      d.t(
        'Thank you for calling Northwind support, this is Ava, your virtual assistant. How can I help you today?',
        'Obrigada por ligar para o suporte Northwind, aqui é a Ava, sua assistente virtual. Como posso ajudar?',
      ),
      d.t("Hi, you've reached Northwind customer care. I'm Ava. What can I do for you?", 'Olá, você ligou para o atendimento Northwind. Eu sou a Ava. Em que posso ajudar?'),
    ]),
  );
  const issueLine: Record<SupportIssue, string> = {
    password: d.t("Hi, I can't log into my account. I think I forgot my password.", 'Oi, não estou conseguindo entrar na minha conta. Acho que esqueci a senha.'),
    order: d.t(`I'm calling about my order ${orderId}. It still hasn't arrived.`, `Estou ligando sobre o meu pedido ${orderId}. Ainda não chegou.`),
    billing: d.t('I was charged twice on my last invoice.', 'Fui cobrado duas vezes na última fatura.'),
    technical: d.t('My internet keeps dropping every few minutes since yesterday.', 'Minha internet está caindo a cada poucos minutos desde ontem.'),
  };
  d.user(issueLine[issue], issue === 'password' || issue === 'order' ? -0.1 : -0.4);
  d.agent(d.t('I can help with that. Can you confirm the email address on your account?', 'Posso ajudar com isso. Pode me confirmar o e-mail cadastrado na sua conta?'));
  d.user(d.t(`Sure, it's ${contact.email}.`, `Claro, é ${contact.email}.`), 0);
  d.agent(d.t('Thanks! One moment while I pull up your account.', 'Obrigada! Um momento enquanto localizo sua conta.'));
  const plan = rng.pick(['Fiber 300', 'Fiber 500', 'Fiber 1 Giga', 'Mobile Unlimited']);
  d.call('lookup_customer', { email: contact.email }, { customerId, name: contact.fullName, plan, accountStatus: 'active', phoneNumber: contact.phoneNumber });
  d.user(rng.pick([d.t('Okay.', 'Tá bom.'), d.t('Sure, no problem.', 'Ok, aguardo.')]), 0);
  if (rng.chance(0.4)) {
    d.agent(
      d.t(
        `I found your account, ${first}. For security, can you confirm the last four digits of your phone number?`,
        `Encontrei sua conta, ${first}. Por segurança, pode confirmar os quatro últimos dígitos do seu telefone?`,
      ),
    );
    d.user(d.t(`It's ${contact.phoneNumber.slice(-4)}.`, `É ${contact.phoneNumber.slice(-4)}.`), 0);
  }

  let result: ScenarioResult;
  switch (issue) {
    case 'password':
      result = passwordReset(ctx, customerId);
      break;
    case 'order':
      result = orderStatus(ctx, customerId, orderId);
      break;
    case 'billing':
      result = billingDispute(ctx, customerId);
      break;
    case 'technical':
      result = technicalIssue(ctx, customerId);
      break;
  }
  if (result.outcome !== 'TRANSFERRED') closeSupportCall(ctx);
  return result;
}

function closeSupportCall({ d, rng }: ScenarioContext): void {
  d.agent(d.t('Is there anything else I can help you with today?', 'Posso ajudar com mais alguma coisa hoje?'));
  d.user(rng.pick([d.t("No, that's everything. Thanks!", 'Não, era só isso. Obrigado!'), d.t("No, that's all. Thank you!", 'Não, só isso mesmo. Valeu!')]), 0.5);
  d.agent(d.t('Thank you for calling Northwind. Have a great day!', 'Obrigada por ligar para a Northwind. Tenha um ótimo dia!'), 0.5);
}

function createTicket(ctx: ScenarioContext, customerId: string, category: string, shortDescription: string, reason: string): string {
  const { d, rng } = ctx;
  const ticketId = `INC00${rng.int(10_000, 99_999)}`;
  d.call(
    'create_ticket',
    { customerId, category, priority: rng.pick(['2 - High', '3 - Moderate']), shortDescription },
    { ticketId, state: 'New', assignmentGroup: category === 'billing' ? 'Billing Ops' : category === 'logistics' ? 'Logistics' : 'IT Service Desk' },
  );
  d.ticket(ticketId, 'CREATED', 'New', reason);
  return ticketId;
}

/** The caller asks for a person; the bot transfers the call to the human on duty. */
function transferToHuman(ctx: ScenarioContext, reasonEn: string, reasonPt: string): string {
  const { d, lang, contact } = ctx;
  const human = humanFor(lang);
  d.user(d.t(`${reasonEn} Can I talk to a real person, please?`, `${reasonPt} Posso falar com um atendente, por favor?`), -0.6);
  d.agent(d.t("I understand. I'm transferring you to a specialist now, please hold.", 'Entendo. Vou transferir você para um especialista agora, aguarde um momento.'), 0.2);
  d.transfer(human);
  d.handoff(human, 'customer_requested_human');
  d.user(d.t('Okay.', 'Tá bom.'), -0.2);
  const visit = appointment(lang, d.time, ctx.rng.int(1, 3), ctx.rng.pick([9, 10, 13, 15]), 0);
  d.agent(
    d.t(
      `Hi ${contact.firstName}, this is Sarah from technical support. I can see your case and Ava's notes. I'm booking a technician visit for ${visit.spoken}.`,
      `Oi ${contact.firstName}, aqui é o Rafael, do suporte técnico. Estou vendo seu caso e as anotações da Ava. Vou agendar a visita de um técnico para ${visit.spoken}.`,
    ),
    0.4,
  );
  d.user(d.t('That works, thank you.', 'Pode ser, obrigado.'), 0.3);
  d.agent(d.t("You're welcome. You'll get a confirmation by text message. Have a good day!", 'Por nada! Você vai receber a confirmação por SMS. Tenha um bom dia!'), 0.5);
  return AGENTS[human].name;
}

function passwordReset(ctx: ScenarioContext, customerId: string): ScenarioResult {
  const { d, rng, contact } = ctx;
  const first = contact.firstName;
  d.agent(
    d.t(
      `Thanks, ${first}. I'm sending a password reset link to ${contact.email} now.`,
      `Obrigada, ${first}. Estou enviando agora um link de redefinição de senha para ${contact.email}.`,
    ),
  );
  if (rng.chance(0.75)) {
    d.call('reset_password', { customerId, deliveryChannel: 'email' }, { resetLinkSent: true, expiresInMinutes: 30 });
    d.user(d.t('Got it, I just received the email.', 'Recebi o e-mail aqui.'), 0.5);
    d.agent(d.t('Great! The link is valid for 30 minutes.', 'Ótimo! O link vale por 30 minutos.'));
    d.user(d.t('Perfect, I was able to log in.', 'Perfeito, consegui entrar.'), 0.7);
    return {
      outcome: 'RESOLVED',
      outcomeReason: 'Password reset link sent and used successfully',
      summary: `${contact.fullName} could not log in. Ava verified the account and sent a password reset link; the caller logged in.`,
      topics: ['password reset', 'account access'],
    };
  }
  d.action('reset_password', 'FAIL', { customerId, deliveryChannel: 'email' }, { resetLinkSent: false }, {
    errorMessage: 'Account locked after too many failed sign-in attempts (AD-LOCK-0042)',
  });
  d.user(d.t("I haven't received anything yet.", 'Ainda não recebi nada.'), -0.3);
  d.agent(
    d.t(
      "I'm sorry, your account is locked after too many failed attempts, so I can't reset it automatically. I'm opening a ticket with our IT team.",
      'Desculpe, sua conta foi bloqueada por excesso de tentativas, então não consigo redefinir automaticamente. Vou abrir um chamado com a equipe de TI.',
    ),
    0.1,
  );
  const ticketId = createTicket(ctx, customerId, 'account_access', 'Account locked — password reset failed', 'Automatic password reset failed: account locked');
  if (rng.chance(0.35)) {
    const human = transferToHuman(ctx, 'I need access today for work.', 'Preciso acessar hoje para trabalhar.');
    return {
      outcome: 'TRANSFERRED',
      outcomeReason: `Account locked; ticket ${ticketId} created and caller transferred to ${human}`,
      summary: `${contact.fullName}'s password reset failed because the account was locked. Ava opened ServiceNow ticket ${ticketId} and transferred the call to ${human}.`,
      topics: ['password reset', 'account locked', 'escalation'],
    };
  }
  d.user(d.t('How long will that take?', 'Quanto tempo isso vai levar?'), -0.2);
  d.agent(
    d.t(`Your ticket number is ${ticketId}. The IT team usually responds within 4 hours.`, `O número do seu chamado é ${ticketId}. A equipe de TI costuma responder em até 4 horas.`),
  );
  d.user(d.t('Okay, thanks.', 'Tá bom, obrigado.'), 0);
  return {
    outcome: 'ESCALATED',
    outcomeReason: `Account locked; ServiceNow ticket ${ticketId} created for IT`,
    summary: `${contact.fullName} could not log in and the automatic password reset failed (account locked). Ava opened ServiceNow ticket ${ticketId} for the IT team.`,
    topics: ['password reset', 'account locked'],
  };
}

function orderStatus(ctx: ScenarioContext, customerId: string, orderId: string): ScenarioResult {
  const { d, rng, lang, contact } = ctx;
  const carrier = lang === 'pt' ? rng.pick(['Correios', 'Jadlog', 'Loggi']) : rng.pick(['UPS', 'FedEx', 'USPS']);
  const delayed = rng.chance(0.35);
  const eta = d.time + rng.int(1, 4) * DAY_MS;
  d.agent(d.t(`Thanks, ${contact.firstName}. Let me check the status of order ${orderId}.`, `Obrigada, ${contact.firstName}. Vou verificar o status do pedido ${orderId}.`));
  d.call(
    'check_order_status',
    { customerId, orderId },
    { orderId, status: delayed ? 'DELAYED' : 'IN_TRANSIT', carrier, trackingNumber: `TRK${rng.digits(10)}`, estimatedDelivery: isoWithOffset(lang, eta).slice(0, 10) },
  );
  d.user(d.t('Thanks.', 'Obrigado.'), 0);
  if (!delayed) {
    d.agent(
      d.t(
        `Your order shipped with ${carrier} and is in transit. The estimated delivery date is ${spokenDate(lang, eta)}.`,
        `Seu pedido foi enviado pela ${carrier} e está em trânsito. A previsão de entrega é ${spokenDate(lang, eta)}.`,
      ),
    );
    d.user(d.t("Good to know, I'll keep an eye on it.", 'Bom saber, vou acompanhar.'), 0.4);
    return {
      outcome: 'RESOLVED',
      outcomeReason: 'Order status provided; package in transit',
      summary: `${contact.fullName} asked about order ${orderId}. Ava checked the order: in transit with ${carrier}, delivery expected ${spokenDate('en', eta)}.`,
      topics: ['order status', 'delivery'],
    };
  }
  d.agent(
    d.t(
      `I see your order is delayed at the ${carrier} facility. I'm opening a ticket so our logistics team can follow up with the carrier.`,
      `Vejo que seu pedido está atrasado no centro da ${carrier}. Vou abrir um chamado para a nossa equipe de logística acompanhar com a transportadora.`,
    ),
    0.1,
  );
  const ticketId = createTicket(ctx, customerId, 'logistics', `Order ${orderId} delayed in transit`, 'Order delayed in transit — logistics follow-up with carrier');
  d.user(d.t('This is really frustrating, I needed it this week.', 'Isso é bem frustrante, eu precisava para esta semana.'), -0.6);
  d.agent(
    d.t(`I'm sorry about that. Your ticket is ${ticketId}; you'll get an update by email within 24 hours.`, `Sinto muito. Seu chamado é ${ticketId}; você vai receber uma atualização por e-mail em até 24 horas.`),
  );
  d.user(d.t('Okay.', 'Tá certo.'), -0.2);
  return {
    outcome: 'ESCALATED',
    outcomeReason: `Order delayed; ServiceNow ticket ${ticketId} created for logistics`,
    summary: `${contact.fullName}'s order ${orderId} is delayed with ${carrier}. Ava opened ServiceNow ticket ${ticketId} for the logistics team.`,
    topics: ['order status', 'delivery delay'],
  };
}

function billingDispute(ctx: ScenarioContext, customerId: string): ScenarioResult {
  const { d, rng, lang, contact } = ctx;
  const first = contact.firstName;
  const amount = lang === 'pt' ? rng.pick([89, 119, 149, 199]) : rng.pick([39, 59, 79, 99]);
  const invoiceId = `INV-${rng.int(200_000, 299_999)}`;
  const currency = lang === 'pt' ? 'BRL' : 'USD';
  d.agent(
    d.t(
      `Thanks, ${first}. Billing questions are handled by our billing assistant, Max. I'm passing you over now.`,
      `Obrigada, ${first}. Questões de cobrança são tratadas pelo nosso assistente financeiro, o Max. Vou te passar para ele agora.`,
    ),
  );
  d.handoff('max', 'billing_question');
  d.user(d.t('Okay.', 'Tá bom.'), 0);
  d.agent(
    d.t(
      `Hi ${first}, this is Max from billing. Let me look at your latest invoice.`,
      `Oi ${first}, aqui é o Max, do financeiro. Vou olhar a sua última fatura.`,
    ),
  );
  d.call(
    'get_invoice',
    { customerId, invoice: 'latest' },
    { invoiceId, currency, charges: [{ description: 'Monthly plan', amount }, { description: 'Monthly plan', amount }], duplicateChargeDetected: true },
  );
  d.user(d.t('Sure.', 'Claro.'), 0);
  d.agent(
    d.t(
      `I see two charges of ${money(lang, amount)} on invoice ${invoiceId}. You're right, it's a duplicate. I'm requesting a refund of ${money(lang, amount)} now.`,
      `Vejo duas cobranças de ${money(lang, amount)} na fatura ${invoiceId}. Você tem razão, é uma cobrança duplicada. Vou solicitar o estorno de ${money(lang, amount)} agora.`,
    ),
  );
  if (rng.chance(0.7)) {
    d.call('issue_refund', { invoiceId, amount, currency, reason: 'duplicate_charge' }, { refundId: `RF-${rng.int(10_000, 99_999)}`, status: 'PROCESSING', expectedBusinessDays: 5 });
    d.user(d.t('Perfect. When will I see it?', 'Perfeito. Quando vai aparecer?'), 0.4);
    d.agent(d.t('The refund should appear on your card within 5 business days.', 'O estorno deve aparecer no seu cartão em até 5 dias úteis.'));
    d.user(d.t('Great, thanks for your help.', 'Ótimo, obrigado pela ajuda.'), 0.6);
    return {
      outcome: 'RESOLVED',
      outcomeReason: 'Duplicate charge refunded',
      summary: `${contact.fullName} was charged twice on invoice ${invoiceId}. Ava handed off to Max (billing), who confirmed the duplicate and issued a refund of ${money(lang, amount)}.`,
      topics: ['billing', 'duplicate charge', 'refund'],
    };
  }
  d.action('issue_refund', 'FAIL', { invoiceId, amount, currency, reason: 'duplicate_charge' }, { approved: false }, {
    errorMessage: 'Refund requires manual approval: account has an open payment dispute',
  });
  d.user(d.t('So is it done?', 'E aí, deu certo?'), -0.1);
  d.agent(
    d.t(
      "I can't approve this refund automatically because there's an open payment dispute on the account, so I'm opening a ticket for our billing team.",
      'Não consigo aprovar esse estorno automaticamente porque há uma contestação em aberto na conta, então vou abrir um chamado para a equipe financeira.',
    ),
    0.1,
  );
  const ticketId = createTicket(ctx, customerId, 'billing', `Duplicate charge on ${invoiceId}`, 'Duplicate charge refund requires manual approval');
  d.user(d.t('Fine, but please make it quick.', 'Tá, mas por favor resolvam logo.'), -0.4);
  d.agent(d.t(`Of course. Your ticket is ${ticketId} and the team will contact you within 2 business days.`, `Claro. Seu chamado é ${ticketId} e a equipe vai entrar em contato em até 2 dias úteis.`));
  d.user(d.t('Okay, thanks.', 'Ok, obrigado.'), 0);
  return {
    outcome: 'ESCALATED',
    outcomeReason: `Refund needs manual approval; ServiceNow ticket ${ticketId} created for billing`,
    summary: `${contact.fullName} disputed a duplicate charge on ${invoiceId}. Max (billing) could not refund automatically and opened ServiceNow ticket ${ticketId}.`,
    topics: ['billing', 'duplicate charge', 'refund'],
  };
}

function technicalIssue(ctx: ScenarioContext, customerId: string): ScenarioResult {
  const { d, rng, lang, contact } = ctx;
  const first = contact.firstName;
  let ticketId: string;
  let summary: string;
  if (rng.chance(0.5)) {
    ticketId = `INC00${rng.int(10_000, 99_999)}`;
    d.agent(
      d.t(
        `Thanks, ${first}. I see you already have an open ticket, ${ticketId}, about connection drops. Let me check it.`,
        `Obrigada, ${first}. Vejo que você já tem um chamado aberto, ${ticketId}, sobre quedas de conexão. Vou verificar.`,
      ),
    );
    d.call('get_ticket_status', { ticketId }, { ticketId, state: 'In Progress', assignmentGroup: 'Network Operations', updatedBy: 'noc.engineer' });
    d.ticket(ticketId, 'RETRIEVED', 'In Progress', 'Caller asked for the status of an existing connectivity ticket');
    d.user(d.t('Yes, it happened again this morning.', 'Sim, aconteceu de novo hoje de manhã.'), -0.5);
    d.agent(
      d.t(
        "A network engineer is already working on it. I've added this morning's drops to the ticket.",
        'Um engenheiro de rede já está trabalhando nisso. Adicionei as quedas de hoje de manhã ao chamado.',
      ),
    );
    d.call('update_ticket', { ticketId, workNote: 'Customer reports intermittent drops continuing this morning' }, { ticketId, state: 'In Progress', updated: true });
    d.ticket(ticketId, 'UPDATED', 'In Progress', 'Customer reported that the intermittent drops continue');
    summary = `${contact.fullName} reported connection drops already tracked in ServiceNow ticket ${ticketId}; Ava retrieved the ticket and added a work note.`;
  } else {
    const postalCode = lang === 'pt' ? `0${rng.int(1_000, 9_999)}-${rng.digits(3)}` : String(rng.int(10_001, 98_999));
    ticketId = `INC00${rng.int(10_000, 99_999)}`;
    d.agent(d.t('Thanks. Let me check for outages in your area.', 'Obrigada. Vou verificar se há alguma instabilidade na sua região.'));
    d.call('check_outage', { customerId, postalCode }, { outage: true, incidentId: ticketId, etaHours: 4, region: contact.city });
    d.ticket(ticketId, 'LINKED', 'In Progress', 'Caller linked to the regional outage major incident');
    d.user(d.t('Is there a problem?', 'Tem algum problema?'), -0.3);
    d.agent(
      d.t(
        `Yes, there's a known outage in ${contact.city}, tracked in ${ticketId}. I've linked your account to it, and you'll get a text when it's fixed — the estimate is about 4 hours.`,
        `Sim, há uma instabilidade conhecida em ${contact.city}, registrada no ${ticketId}. Vinculei sua conta ao chamado e você vai receber um SMS quando for resolvido — a previsão é de cerca de 4 horas.`,
      ),
    );
    summary = `${contact.fullName} reported connection drops caused by a regional outage in ${contact.city}; Ava linked the account to major incident ${ticketId}.`;
  }
  if (rng.chance(0.45)) {
    const human = transferToHuman(ctx, 'This is the third time this week.', 'É a terceira vez nesta semana.');
    return {
      outcome: 'TRANSFERRED',
      outcomeReason: `Repeated connectivity problem; caller requested a human and was transferred to ${human}`,
      summary: `${summary} The caller asked for a person and was transferred to ${human}, who booked a technician visit.`,
      topics: ['connectivity', 'outage', 'technician visit'],
    };
  }
  d.user(d.t('Okay, thanks for letting me know.', 'Tá bom, obrigado por avisar.'), 0.1);
  return {
    outcome: 'NOT_RESOLVED',
    outcomeReason: `Connectivity problem still open; tracked in ${ticketId}`,
    summary,
    topics: ['connectivity', 'outage'],
  };
}

// ───────────── sales / education ─────────────

interface Track {
  exam: string;
  product: string;
  price: number;
  courses: readonly string[];
  ages: readonly [number, number];
  schools: ReadonlyArray<readonly [string, string]>;
  desired: readonly string[];
}

const COLLEGES_EN: ReadonlyArray<readonly [string, string]> = [
  ['Ohio State University', ''],
  ['Rutgers University', ''],
  ['Penn State', ''],
  ['Arizona State University', ''],
];

const TRACKS_EN: readonly Track[] = [
  {
    exam: 'SAT',
    product: 'SAT Prep Premium',
    price: 1290,
    courses: ['Computer Science', 'Engineering', 'Business', 'Biology'],
    ages: [16, 18],
    schools: [
      ['Lincoln High School', ''],
      ['Westview High School', ''],
      ['Roosevelt High School', ''],
      ['Oak Ridge High School', ''],
    ],
    desired: ['Stanford University', 'UCLA', 'the University of Michigan', 'Georgia Tech', 'NYU'],
  },
  {
    exam: 'MCAT',
    product: 'MCAT Bootcamp',
    price: 2490,
    courses: ['Medicine'],
    ages: [21, 26],
    schools: COLLEGES_EN,
    desired: ['Johns Hopkins', 'UCSF', 'Duke University', 'Harvard Medical School'],
  },
  { exam: 'LSAT', product: 'LSAT Live Online', price: 1590, courses: ['Law'], ages: [21, 30], schools: COLLEGES_EN, desired: ['Yale Law School', 'Columbia Law School', 'Georgetown Law'] },
  {
    exam: 'GRE',
    product: 'GRE Self-Paced',
    price: 590,
    courses: ['Data Science', 'Economics', 'Psychology'],
    ages: [22, 32],
    schools: COLLEGES_EN,
    desired: ['MIT', 'Carnegie Mellon University', 'the University of Chicago'],
  },
];

const SCHOOLS_PT: ReadonlyArray<readonly [string, string]> = [
  ['Colégio Bandeirantes', 'no'],
  ['Colégio Santo Agostinho', 'no'],
  ['Escola Estadual Fernão Dias Paes', 'na'],
  ['Colégio Objetivo', 'no'],
  ['Escola Técnica Estadual Paulista', 'na'],
];

const TRACKS_PT: readonly Track[] = [
  { exam: 'vestibular de Medicina', product: 'Extensivo Medicina', price: 4800, courses: ['Medicina'], ages: [16, 20], schools: SCHOOLS_PT, desired: ['USP', 'Unicamp', 'Unifesp', 'UFMG'] },
  {
    exam: 'ENEM',
    product: 'Extensivo ENEM',
    price: 3600,
    courses: ['Direito', 'Engenharia Civil', 'Psicologia', 'Ciência da Computação', 'Odontologia'],
    ages: [16, 19],
    schools: SCHOOLS_PT,
    desired: ['UFRJ', 'UnB', 'UFPR', 'UFMG', 'USP'],
  },
  { exam: 'ENEM', product: 'Semiextensivo ENEM', price: 2400, courses: ['Arquitetura', 'Administração', 'Enfermagem'], ages: [17, 22], schools: SCHOOLS_PT, desired: ['UFSC', 'UFRGS', 'UFBA'] },
  { exam: 'Fuvest', product: 'Intensivo Fuvest', price: 1900, courses: ['Economia', 'Jornalismo', 'Relações Internacionais'], ages: [17, 21], schools: SCHOOLS_PT, desired: ['USP'] },
];

const COMPETITORS_EN = ['Apex Prep', 'BrightPath Tutoring', 'Crestview Academy'] as const;
const COMPETITORS_PT = ['Cursinho Alfa', 'Pré-Vest Delta', 'Ômega Vestibulares'] as const;

type MeetingChannel = 'ZOOM' | 'GOOGLE_MEET' | 'PHONE';
type FollowUpType = 'CALL' | 'WHATSAPP' | 'EMAIL';
type Objection = 'PRICE' | 'TIMING' | 'COMPETITOR' | 'NONE';
type Close = 'won' | 'meeting' | 'followup' | 'lost';

const MEETING_CHANNELS: readonly MeetingChannel[] = ['ZOOM', 'GOOGLE_MEET', 'PHONE'];
const OBJECTIONS: ReadonlyArray<readonly [Objection, number]> = [
  ['PRICE', 0.35],
  ['TIMING', 0.25],
  ['COMPETITOR', 0.15],
  ['NONE', 0.25],
];
/** How a first sales conversation ends, given the lead's objection. */
const CLOSE_AFTER: Readonly<Record<Objection, ReadonlyArray<readonly [Close, number]>>> = {
  TIMING: [
    ['meeting', 0.8],
    ['followup', 0.2],
  ],
  NONE: [
    ['won', 0.8],
    ['meeting', 0.1],
    ['followup', 0.1],
  ],
  PRICE: [
    ['won', 0.45],
    ['meeting', 0.15],
    ['followup', 0.25],
    ['lost', 0.15],
  ],
  COMPETITOR: [
    ['won', 0.3],
    ['meeting', 0.2],
    ['followup', 0.2],
    ['lost', 0.3],
  ],
};

interface Lead {
  track: Track;
  product: string;
  course: string;
  desired: string;
  school: readonly [string, string];
  age: number;
  examYear: number;
  exStudent: boolean;
  competitor: string;
  bot: AgentKey;
  brand: string;
}

function makeLead(ctx: ScenarioContext): Lead {
  const { d, rng, lang } = ctx;
  const track = rng.pick(lang === 'pt' ? TRACKS_PT : TRACKS_EN);
  const examYear = new Date(d.startMs).getUTCFullYear() + (rng.chance(0.7) ? 1 : 2);
  return {
    track,
    product: lang === 'pt' ? `${track.product} ${examYear}` : track.product,
    course: rng.pick(track.courses),
    desired: rng.pick(track.desired),
    school: rng.pick(track.schools),
    age: rng.int(track.ages[0], track.ages[1]),
    examYear,
    exStudent: rng.chance(0.2),
    competitor: lang === 'pt' ? rng.pick(COMPETITORS_PT) : rng.pick(COMPETITORS_EN),
    bot: lang === 'pt' ? 'luna' : 'leo',
    brand: lang === 'pt' ? 'Horizonte Pré-Vestibular' : 'Summit Test Prep',
  };
}

/** SALE_MADE as the catalog states it: PRICE the list price before discount, DISCOUNT a fraction 0–1 (only when one was given). */
function salePayload(product: string, listPrice: number, discountPercent: number, lang: Lang): Record<string, unknown> {
  return {
    PRODUCT: product,
    PRICE: listPrice,
    CURRENCY: lang === 'pt' ? 'BRL' : 'USD',
    ...(discountPercent ? { DISCOUNT: discountPercent / 100 } : {}),
  };
}

function meetingLink(rng: Prng, channel: MeetingChannel): string | null {
  if (channel === 'ZOOM') return `https://zoom.us/j/${rng.int(1, 9)}${rng.digits(9)}`;
  if (channel === 'GOOGLE_MEET') return `https://meet.google.com/${rng.letters(3)}-${rng.letters(4)}-${rng.letters(3)}`;
  return null;
}

const meetingChannelName = (channel: MeetingChannel, lang: Lang): string =>
  channel === 'ZOOM' ? 'Zoom' : channel === 'GOOGLE_MEET' ? 'Google Meet' : lang === 'pt' ? 'telefone' : 'phone';

function followUpPhrase(lang: Lang, type: FollowUpType): string {
  if (lang === 'pt') return type === 'CALL' ? 'te ligar' : type === 'WHATSAPP' ? 'te chamar no WhatsApp' : 'te mandar um e-mail';
  return type === 'CALL' ? 'give you a call' : type === 'WHATSAPP' ? 'send you a WhatsApp message' : 'send you an email';
}

function followUpTypeFor(ctx: ScenarioContext): FollowUpType {
  return ctx.rng.weighted<FollowUpType>([
    ['CALL', ctx.channel === 'VOICE' ? 0.6 : 0.25],
    ['WHATSAPP', ctx.channel === 'WHATSAPP' || ctx.lang === 'pt' ? 0.6 : 0.2],
    ['EMAIL', 0.2],
  ]);
}

/** The agent proposes a meeting; the customer agrees; MEETING_SCHEDULED. Three messages (A, U, A). */
function scheduleMeeting(ctx: ScenarioContext, proposalAlreadyMade: Appointment | null, meetingChannel: MeetingChannel): Appointment {
  const { d, rng, lang, contact } = ctx;
  const slot = proposalAlreadyMade ?? appointment(lang, d.time, rng.int(1, 5), rng.pick(lang === 'pt' ? [10, 14, 18, 19] : [10, 13, 16, 18]), rng.pick([0, 0, 30]));
  const channelName = meetingChannelName(meetingChannel, lang);
  let from: number;
  if (proposalAlreadyMade) {
    from = d.length - 1;
  } else {
    from = d.agent(
      d.t(
        `Would you like to talk it over with one of our advisors on ${channelName}? I have ${slot.spoken} available.`,
        `Que tal conversar com um dos nossos consultores por ${channelName}? Tenho horário ${slot.spoken}.`,
      ),
    );
  }
  const agreed = d.user(d.t(`Sure, ${slot.short} works for me.`, `Pode ser, ${slot.short} está ótimo.`), 0.5);
  const link = meetingLink(rng, meetingChannel);
  d.event('MEETING_SCHEDULED', { TIME_SCHEDULED: slot.iso, MEETING_CHANNEL: meetingChannel, LINK: link }, from, agreed);
  d.agent(
    link
      ? d.t(
          `Done! You're booked for ${slot.spoken}. Here's your ${channelName} link: ${link}. I've also sent it to ${contact.email}.`,
          `Pronto! Está agendado para ${slot.spoken}. Aqui está o link do ${channelName}: ${link}. Também enviei para ${contact.email}.`,
        )
      : d.t(
          `Done! Our advisor will call you at ${contact.phoneNumber} on ${slot.spoken}.`,
          `Pronto! Nosso consultor vai te ligar no ${contact.phoneNumber} ${slot.spoken.startsWith('amanhã') ? '' : 'na '}${slot.spoken}.`,
        ),
    0.5,
  );
  return slot;
}

/** First contact with a lead: qualification, proposal, objection, and a close, a meeting, a follow-up or a loss. */
function salesConversation(ctx: ScenarioContext): ScenarioResult {
  const { d, rng, lang, contact, channel } = ctx;
  const lead = makeLead(ctx);
  const first = contact.firstName;
  const outbound = channel === 'VOICE';
  const emoji = channel === 'VOICE' ? '' : lang === 'pt' ? ' 😊' : ' 👋';
  const topics = ['enrollment', lead.track.exam === 'vestibular de Medicina' ? 'medicina' : lead.track.exam];

  // Greeting and name.
  d.agent(
    outbound
      ? d.t(
          `Hi, this is Leo calling from ${lead.brand}. You asked about our ${lead.track.exam} courses on our website. Who am I speaking with?`,
          `Oi, aqui é a Luna, do ${lead.brand}. Você pediu informações sobre nossos cursos no site. Com quem eu falo?`,
        )
      : d.t(`Hi! This is Leo from ${lead.brand}${emoji} Thanks for reaching out. Who am I talking to?`, `Olá! Aqui é a Luna, do ${lead.brand}${emoji} Com quem eu falo?`),
    0.5,
  );
  const nameSaid = rng.chance(0.6) ? contact.fullName : first;
  const nameSeq = d.user(d.t(`Hi, my name is ${nameSaid}.`, `Oi! Meu nome é ${nameSaid}.`), 0.3);
  d.info('NAME', nameSaid, nameSeq);
  d.stage(null, 'LEAD', 0, nameSeq);

  // Course and institution.
  d.agent(
    d.t(
      `Nice to meet you, ${first}! Which exam are you preparing for, and what would you like to study?`,
      `Prazer, ${first}! Você quer prestar vestibular para qual curso, e em qual faculdade?`,
    ),
  );
  const courseSeq = d.user(
    d.t(`I'm taking the ${lead.track.exam} — I want to study ${lead.course} at ${lead.desired}.`, `Quero fazer ${lead.course} na ${lead.desired}.`),
    0.4,
  );
  d.info('COURSE_INTENDED', lead.course, courseSeq);
  d.info('DESIRED_INSTITUTION', lead.desired.replace(/^the /, ''), courseSeq);

  if (rng.chance(0.75)) {
    d.agent(
      d.t('Great goal! When are you planning to take the exam, and how old are you?', 'Ótimo objetivo! Em que ano você vai prestar a prova? E quantos anos você tem?'),
    );
    const yearSeq = d.user(
      d.t(`I'm planning to take it in ${lead.examYear}. I'm ${lead.age}.`, `Vou prestar em ${lead.examYear}. Tenho ${lead.age} anos.`),
      0.2,
    );
    d.info('EXAM_YEAR', lead.examYear, yearSeq);
    d.info('AGE', lead.age, yearSeq);
  }
  if (rng.chance(0.6)) {
    const [school, preposition] = lead.school;
    d.agent(
      d.t('Have you studied with us before? And which school are you at, or did you graduate from?', 'Você já foi aluno do Horizonte? E em qual escola você estuda ou se formou?'),
    );
    const schoolSeq = d.user(
      lead.exStudent
        ? d.t(`Yes, I took your ${lead.track.exam} crash course last year. I graduated from ${school}.`, `Sim, fiz o Intensivo com vocês ano passado. Me formei ${preposition} ${school}.`)
        : d.t(`No, this is my first time. I'm at ${school}.`, `Não, é a primeira vez. Estudo ${preposition} ${school}.`),
      0.2,
    );
    d.info('EXSTUDENT', lead.exStudent, schoolSeq);
    d.info('GRADUATION_INSTITUTION', school, schoolSeq);
  }

  // Recommendation and price.
  const recommendation = d.agent(
    d.t(
      `Based on what you told me, I'd recommend ${lead.product}: live classes, weekly full-length practice tests and a personal study plan.`,
      `Pelo seu perfil, recomendo o ${lead.product}: aulas ao vivo, simulados semanais e correção de redação toda semana.`,
    ),
    0.5,
  );
  d.stage('LEAD', 'QUALIFIED', 1, recommendation);
  if (rng.chance(0.4)) {
    d.user(d.t('Are the classes online?', 'As aulas são online?'), 0.1);
    d.agent(d.t('Yes — every class is live online and recorded, so you can rewatch it anytime.', 'Sim! Todas as aulas são ao vivo e ficam gravadas para você assistir quando quiser.'));
  }
  d.user(d.t('Sounds interesting. How much does it cost?', 'Parece bom! Quanto custa?'), 0.3);
  const installments = lang === 'pt' ? 12 : 6;
  const proposal = d.agent(
    d.t(
      `${lead.product} is ${money(lang, lead.track.price)} for the full program, or ${installments} monthly payments of ${money(lang, lead.track.price / installments)}.`,
      `O investimento é de ${money(lang, lead.track.price)} à vista ou ${installments}x de ${money(lang, lead.track.price / installments)}.`,
    ),
  );
  d.stage('QUALIFIED', 'PROPOSAL', recommendation, proposal);

  // Objection.
  const objection = rng.weighted(OBJECTIONS);
  let discountPct = 0;
  let proposedSlot: Appointment | null = null;
  const meetingChannel = rng.pick(MEETING_CHANNELS);
  let objectionSeq: number;
  switch (objection) {
    case 'PRICE':
      objectionSeq = d.user(
        d.t("Hmm, that's more than I expected. It's a bit too expensive for me right now.", 'Hmm, achei um pouco caro. Está acima do que eu posso pagar agora.'),
        -0.4,
      );
      d.event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'PRICE' }, objectionSeq, objectionSeq);
      discountPct = rng.pick([10, 15, 20]);
      d.agent(
        d.t(
          `I understand. If you enroll today I can offer ${discountPct}% off — ${money(lang, discounted(lead.track.price, discountPct))} instead of ${money(lang, lead.track.price)}.`,
          `Entendo. Se você fechar hoje, consigo ${discountPct}% de desconto: ${money(lang, discounted(lead.track.price, discountPct))} em vez de ${money(lang, lead.track.price)}.`,
        ),
      );
      break;
    case 'TIMING':
      objectionSeq = d.user(
        d.t("I'm not sure this is the right time — I need to talk to my parents first.", 'Não sei se é o momento certo, preciso conversar com meus pais antes.'),
        -0.1,
      );
      d.event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'TIMING' }, objectionSeq, objectionSeq);
      proposedSlot = appointment(lang, d.time, rng.int(1, 5), rng.pick(lang === 'pt' ? [18, 19, 20] : [17, 18, 19]), 0);
      d.agent(
        d.t(
          `Totally fair. Would it help to set up a quick ${meetingChannelName(meetingChannel, lang)} call with one of our advisors and your parents? I can do ${proposedSlot.spoken}.`,
          `Faz todo sentido. Que tal marcarmos uma conversa por ${meetingChannelName(meetingChannel, lang)} com um consultor e seus pais? Tenho horário ${proposedSlot.spoken}.`,
        ),
      );
      break;
    case 'COMPETITOR':
      objectionSeq = d.user(
        d.t(`${lead.competitor} quoted me a lower price for a similar course.`, `O ${lead.competitor} me ofereceu um valor menor por um curso parecido.`),
        -0.2,
      );
      d.event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'COMPETITOR', COMPETITOR: lead.competitor }, objectionSeq, objectionSeq);
      d.agent(
        d.t(
          `Good question! Unlike ${lead.competitor}, our price includes 1:1 tutoring and a score-improvement guarantee.`,
          `Boa pergunta! Diferente do ${lead.competitor}, nosso curso inclui monitoria individual e correção ilimitada de redações.`,
        ),
      );
      break;
    case 'NONE':
      objectionSeq = d.user(d.t('That fits my budget.', 'Cabe no meu orçamento.'), 0.5);
      d.agent(d.t('Great! Shall I reserve your spot?', 'Ótimo! Posso garantir a sua vaga?'));
      break;
  }

  const close = rng.weighted(CLOSE_AFTER[objection]);
  const price = discounted(lead.track.price, discountPct);

  if (close === 'won') {
    const accepted = d.user(d.t("Okay, that works for me. Let's do it!", 'Fechado! Pode mandar o link de pagamento.'), 0.8);
    let saleSeq = accepted;
    let closer = lead.bot;
    if (rng.chance(0.3)) {
      // Hot lead: the bot hands over to a human consultant to finalize.
      closer = humanFor(lang);
      d.agent(
        d.t(
          "Great! I'm connecting you with Sarah, one of our enrollment advisors, to finalize your enrollment.",
          'Ótimo! Vou te passar para o Rafael, nosso consultor, que vai finalizar sua matrícula.',
        ),
        0.6,
      );
      if (channel === 'VOICE') d.transfer(closer);
      d.handoff(closer, 'qualified_lead_handoff');
      d.user(d.t('Okay.', 'Tá bom.'), 0.3);
      d.agent(
        d.t(
          `Hi ${first}, this is Sarah. I'll finalize your enrollment in ${lead.product} for ${money(lang, price)}. Can I send the payment link to ${contact.email}?`,
          `Oi ${first}, aqui é o Rafael. Vou finalizar sua matrícula no ${lead.product} por ${money(lang, price)}. Posso mandar o link de pagamento para ${contact.email}?`,
        ),
        0.5,
      );
      saleSeq = d.user(d.t('Yes, please.', 'Pode sim.'), 0.6);
    }
    d.event('SALE_MADE', salePayload(lead.product, lead.track.price, discountPct, lang), proposal, saleSeq);
    d.stage('PROPOSAL', 'CLOSED_WON', proposal, saleSeq);
    d.agent(
      d.t(
        `Awesome, welcome to ${lead.brand}, ${first}! I've sent the enrollment and payment link to ${contact.email}.`,
        `Que ótimo, ${first}! ${d.welcome(true)} ao ${lead.brand}! Enviei o link de matrícula e pagamento para ${contact.email}.`,
      ),
      0.8,
    );
    d.user(d.t('Got it, thanks!', 'Valeu, recebi!'), 0.8);
    return {
      outcome: 'RESOLVED',
      outcomeReason: `Sale made: ${lead.product} for ${money(lang, price)}${discountPct ? ` (${discountPct}% off)` : ''}`,
      summary: `${contact.fullName} wants to study ${lead.course} at ${lead.desired.replace(/^the /, '')}. ${AGENTS[closer].name.split(' — ')[0]} closed the sale of ${lead.product} for ${money(lang, price)}.`,
      topics: [...topics, 'pricing', 'sale'],
    };
  }
  if (close === 'meeting') {
    if (!proposedSlot) d.user(d.t('I still need to think about it.', 'Ainda preciso pensar um pouco.'), 0);
    const slot = scheduleMeeting(ctx, proposedSlot, meetingChannel);
    d.user(d.t('Thanks, see you then!', 'Obrigado, até lá!'), 0.5);
    return {
      outcome: 'RESOLVED',
      outcomeReason: `Meeting scheduled with an advisor (${meetingChannelName(meetingChannel, 'en')}) for ${slot.iso}`,
      summary: `${contact.fullName} is interested in ${lead.product}${objection === 'NONE' ? '' : ` but raised a ${objection.toLowerCase()} objection`}. A ${meetingChannelName(meetingChannel, 'en')} meeting with an advisor was scheduled for ${slot.iso}.`,
      topics: [...topics, 'meeting'],
    };
  }
  if (close === 'followup') {
    const ask = d.user(d.t('Can you get back to me next week? I need some time to think.', 'Pode me chamar semana que vem? Preciso pensar um pouco.'), 0);
    const type = followUpTypeFor(ctx);
    const when = appointment(lang, d.time, rng.int(5, 8), rng.pick([10, 11, 15, 16]), 0);
    const promise = d.agent(d.t(`Of course! I'll ${followUpPhrase(lang, type)} on ${when.spoken}.`, `Claro! Vou ${followUpPhrase(lang, type)} ${when.spoken.startsWith('amanhã') ? '' : 'na '}${when.spoken}.`));
    const score = objection === 'COMPETITOR' ? rng.int(25, 55) : objection === 'PRICE' ? rng.int(40, 70) : rng.int(60, 85);
    d.event('FOLLOWUP_DETECTION', { FOLLOWUP_TRY: 1, FOLLOWUP_TIME: when.iso, FOLLOWUP_TYPE: type }, ask, promise, { followUpScore: score });
    d.user(d.t('Sounds good, talk then.', 'Combinado, até lá.'), 0.3);
    return {
      outcome: 'NOT_RESOLVED',
      outcomeReason: `Lead asked for a follow-up (${type}) on ${when.iso}`,
      summary: `${contact.fullName} is considering ${lead.product} (${money(lang, lead.track.price)}) and asked to be contacted again; follow-up by ${type.toLowerCase()} planned for ${when.iso}.`,
      topics: [...topics, 'pricing', 'follow-up'],
    };
  }
  const lost = d.user(
    objection === 'COMPETITOR'
      ? d.t(`Thanks, but I think I'll go with ${lead.competitor}.`, `Obrigado, mas acho que vou fechar com o ${lead.competitor}.`)
      : d.t("Thanks, but it's really over my budget. I'll pass for now.", 'Obrigado, mas está fora do meu orçamento. Vou deixar para depois.'),
    -0.3,
  );
  d.stage('PROPOSAL', 'CLOSED_LOST', proposal, lost);
  d.agent(
    d.t("No problem, I understand. If you change your mind, we're here. Good luck on the exam!", 'Sem problemas, entendo. Se mudar de ideia, estamos aqui. Boa sorte na prova!'),
    0.4,
  );
  return {
    outcome: 'NOT_RESOLVED',
    outcomeReason: objection === 'COMPETITOR' ? `Lead chose a competitor (${lead.competitor})` : 'Price above the lead’s budget',
    summary: `${contact.fullName} was offered ${lead.product} for ${money(lang, price)} but declined (${objection === 'COMPETITOR' ? `chose ${lead.competitor}` : 'price'}).`,
    topics: [...topics, 'pricing', 'lost deal'],
  };
}

const discounted = (price: number, pct: number): number => (pct ? Math.round((price * (100 - pct)) / 1000) * 10 : price);

/** An outbound follow-up: after an advisor meeting (MEETING_DONE), or a callback on an earlier conversation. */
function salesFollowUp(ctx: ScenarioContext): ScenarioResult {
  const { d, rng, lang, contact } = ctx;
  const lead = makeLead(ctx);
  const first = contact.firstName;
  const botName = lang === 'pt' ? 'Luna' : 'Leo';
  const topics = ['enrollment', 'follow-up'];

  if (rng.chance(0.6)) {
    const meetingChannel = rng.pick(MEETING_CHANNELS);
    const channelName = meetingChannelName(meetingChannel, lang);
    const attended = rng.chance(0.75);
    if (attended) {
      d.agent(
        d.t(
          `Hi ${first}, it's ${botName} from ${lead.brand}. Thanks for joining the ${channelName} call with our advisor yesterday! How did it go?`,
          `Oi ${first}, aqui é a ${botName}, do ${lead.brand}! Obrigada por participar da conversa por ${channelName} com nosso consultor ontem. O que achou?`,
        ),
        0.5,
      );
      const reply = d.user(d.t('It went well, the advisor answered all my questions.', 'Foi ótima, o consultor tirou todas as minhas dúvidas.'), 0.6);
      const video = meetingChannel === 'ZOOM' ? `https://zoom.us/rec/share/${rng.letters(12)}` : meetingChannel === 'GOOGLE_MEET' ? `https://drive.google.com/file/d/${rng.letters(16)}/view` : null;
      const duration = rng.int(20, 55);
      d.event(
        'MEETING_DONE',
        {
          ATTENDED: true,
          DURATION: duration * 60,
          TRANSCRIPTION: d.t(
            `Advisor walked ${first} through ${lead.product}, the study plan and scholarship options.`,
            `O consultor apresentou o ${lead.product}, o plano de estudos e as opções de bolsa para ${first}.`,
          ),
          ...(video ? { VIDEO: video } : {}),
        },
        0,
        reply,
      );
      const pct = rng.pick([10, 15, 20]);
      const price = discounted(lead.track.price, pct);
      const offer = d.agent(
        d.t(
          `Glad to hear it! As the advisor mentioned, you qualify for a ${pct}% scholarship on ${lead.product}, which brings it to ${money(lang, price)}. Would you like to enroll?`,
          `Que bom! Como o consultor comentou, você tem ${pct}% de bolsa no ${lead.product}, o que fica ${money(lang, price)}. Quer garantir sua vaga?`,
        ),
      );
      d.stage('PROPOSAL', 'NEGOTIATION', 0, offer);
      const branch = rng.weighted<'won' | 'later' | 'price'>([
        ['won', 0.55],
        ['later', 0.3],
        ['price', 0.15],
      ]);
      if (branch === 'won') {
        const yes = d.user(d.t("Yes, let's do it. My parents agreed.", 'Sim! Meus pais concordaram, vamos fechar.'), 0.8);
        d.event('SALE_MADE', salePayload(lead.product, lead.track.price, pct, lang), offer, yes);
        d.stage('NEGOTIATION', 'CLOSED_WON', offer, yes);
        d.agent(d.t(`Wonderful! I've sent the enrollment link to ${contact.email}.`, `Maravilha! Enviei o link de matrícula para ${contact.email}.`), 0.8);
        d.user(d.t('Thank you!', 'Obrigado!'), 0.7);
        d.agent(d.t(`Welcome aboard, ${first}!`, `Seja ${d.welcome(false)}, ${first}!`), 0.8);
        return {
          outcome: 'RESOLVED',
          outcomeReason: `Sale made after the advisor meeting: ${lead.product} for ${money(lang, price)}`,
          summary: `${contact.fullName} attended a ${duration}-minute ${channelName} meeting with an advisor and enrolled in ${lead.product} with a ${pct}% scholarship (${money(lang, price)}).`,
          topics: [...topics, 'meeting', 'sale'],
        };
      }
      if (branch === 'later') {
        const later = d.user(d.t("I'm almost there, but I need a few more days to decide.", 'Estou quase decidido, mas preciso de mais alguns dias.'), 0.1);
        d.event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'TIMING' }, later, later);
        const type = followUpTypeFor(ctx);
        const when = appointment(lang, d.time, rng.int(2, 5), rng.pick([10, 14, 16]), 0);
        const promise = d.agent(d.t(`Sure! I'll ${followUpPhrase(lang, type)} on ${when.spoken} then.`, `Claro! Vou ${followUpPhrase(lang, type)} ${when.spoken.startsWith('amanhã') ? '' : 'na '}${when.spoken}, combinado?`));
        d.event('FOLLOWUP_DETECTION', { FOLLOWUP_TRY: 2, FOLLOWUP_TIME: when.iso, FOLLOWUP_TYPE: type }, later, promise, { followUpScore: rng.int(55, 85) });
        d.user(d.t('Perfect, thanks.', 'Combinado, obrigado.'), 0.4);
        return {
          outcome: 'NOT_RESOLVED',
          outcomeReason: `Lead needs more time; follow-up (${type}) on ${when.iso}`,
          summary: `${contact.fullName} attended the advisor meeting and is close to enrolling in ${lead.product}, but asked for a few more days; follow-up planned for ${when.iso}.`,
          topics: [...topics, 'meeting'],
        };
      }
      const tooMuch = d.user(d.t("Even with the scholarship it's over my budget, sorry.", 'Mesmo com a bolsa ainda fica caro para mim, desculpa.'), -0.4);
      d.event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'PRICE' }, tooMuch, tooMuch);
      const cheaper = lang === 'pt' ? 'Plano Redação Nota 1000' : 'Self-Paced Essentials';
      d.agent(
        d.t(
          `I understand. We also have ${cheaper} for ${money(lang, lead.track.price * 0.3)} — want me to send the details?`,
          `Entendo. Também temos o ${cheaper} por ${money(lang, lead.track.price * 0.3)} — quer que eu mande os detalhes?`,
        ),
      );
      const no = d.user(d.t("No, thanks. I'll pass for now.", 'Não, obrigado. Vou deixar para depois.'), -0.2);
      d.stage('NEGOTIATION', 'CLOSED_LOST', offer, no);
      d.agent(d.t('No problem. Good luck with your studies!', 'Sem problemas. Boa sorte nos estudos!'), 0.4);
      return {
        outcome: 'NOT_RESOLVED',
        outcomeReason: 'Price above budget even with the scholarship',
        summary: `${contact.fullName} attended the advisor meeting but declined ${lead.product} on price, even with a ${pct}% scholarship.`,
        topics: [...topics, 'meeting', 'pricing', 'lost deal'],
      };
    }
    d.agent(
      d.t(
        `Hi ${first}, it's ${botName} from ${lead.brand}. We missed you at yesterday's ${channelName} meeting with our advisor — is everything okay?`,
        `Oi ${first}, aqui é a ${botName}, do ${lead.brand}. Sentimos sua falta na reunião de ontem por ${channelName} com o consultor — está tudo bem?`,
      ),
      0.2,
    );
    const sorry = d.user(d.t("Sorry, something came up and I couldn't make it.", 'Desculpa, tive um imprevisto e não consegui entrar.'), -0.1);
    d.event('MEETING_DONE', { ATTENDED: false, DURATION: 0 }, 0, sorry);
    const slot = scheduleMeeting(ctx, null, meetingChannel);
    d.user(d.t("Thanks, I'll be there this time.", 'Obrigado, dessa vez eu vou estar lá.'), 0.5);
    return {
      outcome: 'RESOLVED',
      outcomeReason: `Missed meeting rescheduled for ${slot.iso}`,
      summary: `${contact.fullName} missed the ${channelName} meeting with an advisor; ${botName} rescheduled it for ${slot.iso}.`,
      topics: [...topics, 'meeting', 'no-show'],
    };
  }

  // Callback on an earlier conversation.
  const attempt = rng.int(2, 3);
  d.agent(
    d.t(
      `Hi ${first}, this is ${botName} from ${lead.brand}, following up on ${lead.product}. Did you have a chance to think about it?`,
      `Oi ${first}, aqui é a ${botName}, do ${lead.brand}! Passando para saber se você pensou sobre o ${lead.product}.`,
    ),
    0.4,
  );
  const branch = rng.weighted<'busy' | 'yes' | 'competitor'>([
    ['busy', 0.35],
    ['yes', 0.4],
    ['competitor', 0.25],
  ]);
  if (branch === 'busy') {
    const busy = d.user(d.t("I'm at work right now. Can you call me tomorrow afternoon?", 'Agora estou no trabalho. Pode me ligar amanhã à tarde?'), -0.1);
    const when = appointment(lang, d.time, 1, rng.pick([14, 15, 16, 17]), rng.pick([0, 30]));
    const promise = d.agent(d.t(`Of course! I'll call you ${when.spoken}.`, `Claro! Te ligo ${when.spoken}.`));
    d.event('FOLLOWUP_DETECTION', { FOLLOWUP_TRY: attempt + 1, FOLLOWUP_TIME: when.iso, FOLLOWUP_TYPE: 'CALL' }, busy, promise, { followUpScore: rng.int(40, 70) });
    d.user(d.t('Thanks, talk to you then.', 'Obrigado, até amanhã.'), 0.2);
    d.agent(d.t('Have a great day!', 'Tenha um ótimo dia!'), 0.5);
    return {
      outcome: 'NOT_RESOLVED',
      outcomeReason: `Lead busy; callback scheduled for ${when.iso}`,
      summary: `Follow-up attempt ${attempt} with ${contact.fullName} about ${lead.product}: the lead was busy and asked for a call back on ${when.iso}.`,
      topics,
    };
  }
  if (branch === 'yes') {
    d.user(d.t("Yes! I talked to my parents and we'd like to enroll.", 'Sim! Conversei com meus pais e queremos fazer a matrícula.'), 0.8);
    const offer = d.agent(
      d.t(
        `Fantastic! ${lead.product} is ${money(lang, lead.track.price)}. Shall I send the payment link to ${contact.email}?`,
        `Que notícia boa! O ${lead.product} fica ${money(lang, lead.track.price)}. Posso mandar o link de pagamento para ${contact.email}?`,
      ),
      0.7,
    );
    const yes = d.user(d.t('Yes, please.', 'Pode mandar!'), 0.7);
    d.event('SALE_MADE', salePayload(lead.product, lead.track.price, 0, lang), offer, yes);
    d.stage('PROPOSAL', 'CLOSED_WON', offer, yes);
    d.agent(d.t(`Done! Welcome to ${lead.brand}, ${first}.`, `Pronto! ${d.welcome(true)} ao ${lead.brand}, ${first}.`), 0.8);
    d.user(d.t('Thank you so much!', 'Muito obrigado!'), 0.8);
    return {
      outcome: 'RESOLVED',
      outcomeReason: `Sale made on follow-up attempt ${attempt}: ${lead.product} for ${money(lang, lead.track.price)}`,
      summary: `On follow-up attempt ${attempt}, ${contact.fullName} decided to enroll in ${lead.product} (${money(lang, lead.track.price)}).`,
      topics: [...topics, 'sale'],
    };
  }
  const comparing = d.user(d.t(`I'm still comparing with ${lead.competitor}.`, `Ainda estou comparando com o ${lead.competitor}.`), -0.1);
  d.event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'COMPETITOR', COMPETITOR: lead.competitor }, comparing, comparing);
  const type = followUpTypeFor(ctx);
  const when = appointment(lang, d.time, rng.int(3, 7), rng.pick([10, 15]), 0);
  d.agent(
    d.t(
      `Makes sense. Our course includes 1:1 tutoring that ${lead.competitor} doesn't offer. Can I ${followUpPhrase(lang, type)} on ${when.spoken} to see where you landed?`,
      `Faz sentido. Nosso curso inclui monitoria individual, que o ${lead.competitor} não oferece. Posso ${followUpPhrase(lang, type)} ${when.spoken.startsWith('amanhã') ? '' : 'na '}${when.spoken} para saber o que você decidiu?`,
    ),
  );
  const okay = d.user(d.t('Okay, sounds good.', 'Pode ser.'), 0.1);
  d.event('FOLLOWUP_DETECTION', { FOLLOWUP_TRY: attempt + 1, FOLLOWUP_TIME: when.iso, FOLLOWUP_TYPE: type }, comparing, okay, { followUpScore: rng.int(20, 50) });
  d.agent(d.t('Great, talk soon!', 'Ótimo, até breve!'), 0.4);
  return {
    outcome: 'NOT_RESOLVED',
    outcomeReason: `Lead comparing with ${lead.competitor}; follow-up on ${when.iso}`,
    summary: `Follow-up attempt ${attempt}: ${contact.fullName} is still comparing ${lead.product} with ${lead.competitor}; another follow-up (${type.toLowerCase()}) planned for ${when.iso}.`,
    topics: [...topics, 'competitor'],
  };
}

// ───────────── one conversation ─────────────

type Scenario = 'support' | 'sales' | 'sales_followup';

const SCENARIO_WEIGHTS: ReadonlyArray<readonly [Scenario, number]> = [
  ['support', 0.42],
  ['sales', 0.4],
  ['sales_followup', 0.18],
];
const SALES_CHANNELS: ReadonlyArray<readonly [Channel, number]> = [
  ['CHAT', 0.35],
  ['WHATSAPP', 0.4],
  ['VOICE', 0.25],
];
const FOLLOW_UP_CHANNELS: ReadonlyArray<readonly [Channel, number]> = [
  ['VOICE', 0.55],
  ['WHATSAPP', 0.45],
];
/** Local start hours of completed conversations: business-ish hours, busiest mid-morning and mid-afternoon. */
const START_HOURS: ReadonlyArray<readonly [number, number]> = [
  [8, 0.5],
  [9, 1],
  [10, 1.2],
  [11, 1.2],
  [12, 0.8],
  [13, 1],
  [14, 1.2],
  [15, 1.2],
  [16, 1],
  [17, 0.9],
  [18, 0.8],
  [19, 0.7],
  [20, 0.5],
  [21, 0.3],
];

const CAMPAIGNS: Readonly<Record<Lang, { sales: string; followUp: string }>> = {
  en: { sales: 'camp-summit-web-leads', followUp: 'camp-summit-followups' },
  pt: { sales: 'camp-horizonte-leads', followUp: 'camp-horizonte-followups' },
};

const LINE_NUMBERS: Readonly<Record<Lang, { support: string; sales: string }>> = {
  en: { support: '+18005550199', sales: '+18005550142' },
  pt: { support: '+551140040199', sales: '+551140040142' },
};

function sentimentLabel(scores: readonly number[]): SentimentLabel | null {
  if (scores.length === 0) return null;
  let sum = 0;
  let min = 1;
  let max = -1;
  for (const score of scores) {
    sum += score;
    min = Math.min(min, score);
    max = Math.max(max, score);
  }
  const mean = sum / scores.length;
  if (min < -0.45 && max > 0.45) return 'MIXED';
  return mean > 0.2 ? 'POSITIVE' : mean < -0.2 ? 'NEGATIVE' : 'NEUTRAL';
}

function generateConversation(index: number, seed: number, nowMs: number, origin: string): IngestConversationCommand {
  const rng = new Prng(conversationSeed(seed, index));
  const externalId = `${origin}-conv-${index}`;
  const scenario = rng.weighted(SCENARIO_WEIGHTS);
  const lang: Lang = rng.chance(scenario === 'support' ? 0.35 : 0.55) ? 'pt' : 'en';
  const channel: Channel =
    scenario === 'support'
      ? 'VOICE'
      : scenario === 'sales'
        ? rng.weighted(SALES_CHANNELS)
        : rng.weighted(FOLLOW_UP_CHANNELS);
  const direction: Direction = scenario === 'support' || (scenario === 'sales' && channel !== 'VOICE') ? 'INBOUND' : 'OUTBOUND';
  const campaignId =
    direction === 'OUTBOUND' && (channel === 'VOICE' || rng.chance(0.6)) ? (scenario === 'sales' ? CAMPAIGNS[lang].sales : CAMPAIGNS[lang].followUp) : null;
  const ongoing = rng.chance(0.1);
  const abandoned = !ongoing && rng.chance(0.06);
  const analyzed = rng.chance(0.85);

  const pool = contactsByLang()[lang];
  const contact = rng.pick(pool);

  // Completed conversations start on one of the 29 local days before `now`, in business-ish hours;
  // ongoing ones started recently.
  let startMs: number;
  if (ongoing) {
    startMs = nowMs - (channel === 'VOICE' ? rng.int(15, 60) * MINUTE_MS : rng.int(70, 8 * 60) * MINUTE_MS) - rng.int(0, 59_999);
  } else {
    const today = wallClock(lang, nowMs);
    const hour = rng.weighted(START_HOURS);
    startMs =
      fromWallClock(lang, today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - rng.int(1, 29), hour, rng.int(0, 59)) + rng.int(0, 59_999);
  }

  const firstAgent: AgentKey = scenario === 'support' ? 'ava' : lang === 'pt' ? 'luna' : 'leo';
  const draft = new Draft(rng, lang, channel, startMs, firstAgent, contact.female);
  const ctx: ScenarioContext = { d: draft, rng, lang, contact, channel };
  const result = scenario === 'support' ? supportCall(ctx) : scenario === 'sales' ? salesConversation(ctx) : salesFollowUp(ctx);

  // Ongoing conversations are still being written; abandoned ones stop early.
  const total = draft.messages.length;
  const keep = ongoing ? rng.int(4, total - 1) : abandoned ? rng.int(4, Math.min(6, total - 1)) : total;
  const voice = channel === 'VOICE';
  const subchannel = channel === 'WHATSAPP' ? 'whatsapp_business' : channel === 'CHAT' ? 'web_widget' : null;

  const messages = draft.messages;
  messages.length = keep;
  const userScores: number[] = [];
  for (let seq = 0; seq < keep; seq++) {
    const message = at(messages, seq);
    const fromUser = message.senderRole === 'USER';
    if (fromUser) message.contactExternalId = contact.externalId;
    const score = analyzed ? round2(clamp(at(draft.moods, seq) + rng.float(-0.15, 0.15), -1, 1)) : null;
    if (fromUser && score !== null) userScores.push(score);
    message.sentimentScore = score;
    message.speechToTextConfidence = voice && (fromUser || isHuman(message.agentExternalId)) ? round2(rng.float(0.7, 0.99)) : null;
    message.subchannel = subchannel;
  }
  const lastAt = at(draft.times, keep - 1);
  const endMs = ongoing ? null : lastAt;

  const actions = draft.actions.filter((action) => (action.messageSequence ?? 0) < keep);
  actions.forEach((action, i) => (action.externalId = `${externalId}-act-${i}`));
  const tickets = draft.tickets.filter((_, i) => at(draft.ticketSequences, i) < keep);
  const events = draft.events.filter((event) => (event.contextEndIndex ?? 0) < keep);
  events.forEach((event, i) => (event.externalId = `${externalId}-evt-${i}`));
  const transfers: IngestTransfer[] = [];
  for (const item of draft.transfers) {
    if (item.seq >= keep) continue;
    let connected = false;
    for (let seq = item.seq + 1; seq < keep; seq++) {
      const agentId = at(messages, seq).agentExternalId;
      if (agentId && agentId !== item.agentId) connected = true;
    }
    transfers.push({
      externalId: `${externalId}-xfer-${transfers.length}`,
      agentExternalId: item.agentId,
      startedAt: new Date(item.startedAt),
      endedAt: endMs === null ? null : new Date(endMs),
      userJoinedAt: connected ? new Date(item.userJoinedAt) : null,
      userLeftAt: endMs === null || !connected ? null : new Date(endMs),
      destination: item.destination,
      status: connected ? 'transfer_connected' : 'transfer_initiated',
    });
  }

  // Agents: every one that wrote a kept message or is referenced by a kept item, with its usage segments.
  const segments: Array<{ agentId: string; firstSeq: number; from: number }> = [];
  for (let seq = 0; seq < keep; seq += 2) {
    const agentId = at(messages, seq).agentExternalId;
    if (!agentId) continue;
    const current = segments[segments.length - 1];
    if (!current || current.agentId !== agentId) segments.push({ agentId, firstSeq: seq, from: segments.length === 0 ? startMs : at(draft.times, seq) });
  }
  const agentOrder: string[] = [];
  const addAgent = (agentId: string | null | undefined): void => {
    if (agentId && !agentOrder.includes(agentId)) agentOrder.push(agentId);
  };
  for (const segment of segments) addAgent(segment.agentId);
  for (const action of actions) addAgent(action.agentExternalId);
  for (const transfer of transfers) addAgent(transfer.agentExternalId);
  for (const event of events) addAgent(event.agentExternalId);

  const agents: IngestAgent[] = agentOrder.map((agentId) => {
    const definition = AGENT_BY_EXTERNAL_ID.get(agentId);
    if (!definition) throw new Error(`unknown demo agent ${agentId}`);
    let attempts = 0;
    let successes = 0;
    for (const action of actions) {
      if (action.agentExternalId !== agentId) continue;
      attempts++;
      if (action.status === 'SUCCESS') successes++;
    }
    const successRate = definition.human || attempts === 0 ? null : round2(successes / attempts);
    const usages: NonNullable<IngestAgent['usages']> = [];
    segments.forEach((segment, i) => {
      if (segment.agentId !== agentId) return;
      const next = segments[i + 1];
      usages.push({
        externalId: `${externalId}-usage-${segment.firstSeq}`,
        activatedAt: new Date(segment.from),
        deactivatedAt: next ? new Date(next.from) : endMs === null ? null : new Date(endMs),
        handoffReason: next ? (draft.handoffs[next.firstSeq] ?? null) : null,
        successRate,
      });
    });
    return {
      externalId: definition.externalId,
      name: definition.name,
      email: definition.email,
      phoneNumber: definition.phoneNumber,
      internal: definition.internal,
      otherInfo: definition.human
        ? { kind: 'HUMAN', role: definition.role, languages: [...definition.languages], channels: [...definition.channels] }
        : { kind: 'AI_BOT', role: definition.role, languages: [...definition.languages], channels: [...definition.channels], model: 'alma-agent-2', version: '3.4.1' },
      usages,
    };
  });

  const firstUserAt = keep > 1 ? at(draft.times, 1) : startMs;
  const contacts: IngestContact[] = [
    {
      externalId: contact.externalId,
      name: contact.fullName,
      email: contact.email,
      phoneNumber: contact.phoneNumber,
      identifier: contact.identifier,
      priority: contact.priority,
      doNotDisturb: contact.doNotDisturb,
      source: { method: contact.sourceMethod },
      sourceFile: contact.sourceMethod === 'csv' ? 'leads-2025-q1.csv' : null,
      metaData: { language: lang === 'pt' ? 'pt-BR' : 'en-US', city: contact.city },
      externalCreatedAt: new Date(contact.createdAtMs),
      externalUpdatedAt: new Date(contact.createdAtMs),
      sessions: [
        {
          externalId: `${externalId}-session-0`,
          joinedAt: new Date(direction === 'OUTBOUND' ? firstUserAt : startMs),
          leftAt: endMs === null ? null : new Date(endMs),
        },
      ],
    },
  ];

  // How it ended.
  let endedBy: EndedBy | null = null;
  let endReason: EndReason | null = null;
  let outcome: Outcome | null = null;
  let outcomeReason: string | null = null;
  let summary: string | null = null;
  if (!ongoing) {
    if (abandoned) {
      endedBy = voice ? 'USER' : 'SYSTEM';
      endReason = voice ? 'user_hangup' : 'timeout';
      outcome = 'ABANDONED';
      outcomeReason = voice ? 'Caller hung up before the conversation was completed' : 'Customer stopped responding';
      summary = `${contact.fullName} left the conversation early (${result.topics[0] ?? scenario}); nothing was concluded.`;
    } else {
      if (channel === 'WHATSAPP' && rng.chance(0.4)) {
        endedBy = 'SYSTEM';
        endReason = 'timeout';
      } else if (rng.chance(voice ? 0.55 : 0.3)) {
        endedBy = 'AGENT';
        endReason = 'agent_hangup';
      } else {
        endedBy = 'USER';
        endReason = 'user_hangup';
      }
      outcome = result.outcome;
      outcomeReason = result.outcomeReason;
      summary = result.summary;
    }
  }

  const durationSeconds = endMs === null ? null : Math.round((endMs - startMs) / 1000);
  const sentimentScore =
    analyzed && !ongoing && userScores.length ? round2(userScores.reduce((sum, score) => sum + score, 0) / userScores.length) : null;
  const label = sentimentScore === null ? null : sentimentLabel(userScores);
  const lineNumber = scenario === 'support' ? LINE_NUMBERS[lang].support : LINE_NUMBERS[lang].sales;
  const hasPhones = channel === 'VOICE' || channel === 'WHATSAPP';

  const command: IngestConversationCommand = {
    externalId,
    origin,
    channel,
    direction,
    conversationType: channel === 'VOICE' ? 'telephony' : channel === 'WHATSAPP' ? 'whatsapp' : 'web_chat',
    fromPhoneNumber: hasPhones ? (direction === 'INBOUND' ? contact.phoneNumber : lineNumber) : null,
    toPhoneNumber: hasPhones ? (direction === 'INBOUND' ? lineNumber : contact.phoneNumber) : null,
    phoneId: hasPhones ? `phone-${scenario === 'support' ? 'support' : 'sales'}-${lang}` : null,
    externalWorkspaceId: 'ws-alma-demo',
    startedAt: new Date(startMs),
    endedAt: endMs === null ? null : new Date(endMs),
    durationSeconds,
    status: ongoing ? 'ONGOING' : 'COMPLETED',
    telephonyStatus: voice ? (ongoing ? 'in-progress' : 'completed') : null,
    endedBy,
    endReason,
    outcome,
    outcomeReason,
    summary,
    sentimentScore,
    sentimentLabel: label,
    topics: ongoing ? [] : result.topics,
    userSatisfactionScore: !ongoing && rng.chance(0.4) ? satisfaction(rng, outcome) : null,
    callQualityScore: voice && !ongoing ? round2(rng.float(3.2, 4.8)) : null,
    audioQualityMetrics: voice ? { mos: round2(rng.float(3.4, 4.5)), jitterMs: rng.int(4, 40), packetLossPct: round2(rng.float(0, 2.5)), latencyMs: rng.int(80, 320) } : null,
    postCallMetadata:
      voice && !ongoing
        ? { sentiment: (label ?? 'NEUTRAL').toLowerCase(), duration: durationSeconds, resolution: outcome === 'RESOLVED' ? 'completed' : (outcome ?? 'unknown').toLowerCase() }
        : null,
    recordingUrl: voice && !ongoing ? `https://recordings.alma-demo.example/${origin}/${externalId}.mp3` : null,
    recordingStatus: voice ? (ongoing ? 'recording' : 'completed') : null,
    campaignId,
    campaignRunId: campaignId ? `${campaignId}-run-${isoWithOffset(lang, startMs).slice(0, 10).replace(/-/g, '')}` : null,
    dynamicVariables: campaignId ? { customer_name: contact.fullName, language: lang === 'pt' ? 'pt-BR' : 'en-US' } : null,
    metaData: { demo: true, scenario, language: lang === 'pt' ? 'pt-BR' : 'en-US' },
    externalCreatedAt: new Date(startMs),
    externalUpdatedAt: new Date(lastAt),
    agents,
    contacts,
    messages,
    actions,
    tickets,
    transfers,
    events,
  };
  return command;
}

function satisfaction(rng: Prng, outcome: Outcome | null): number {
  switch (outcome) {
    case 'RESOLVED':
      return rng.int(4, 5);
    case 'TRANSFERRED':
    case 'ESCALATED':
      return rng.int(2, 4);
    default:
      return rng.int(1, 3);
  }
}

/**
 * `count` demo conversations, deterministic for the same options: conversation i depends only on
 * (seed, i, now, origin), so a larger count extends a smaller one.
 */
export function generateDemoConversations(options: DemoConversationOptions): IngestConversationCommand[] {
  const { count } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const nowMs = (options.now ?? DEMO_DEFAULT_NOW).getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid date');
  const origin = options.origin ?? DEMO_DEFAULT_ORIGIN;
  const conversations: IngestConversationCommand[] = new Array<IngestConversationCommand>(count);
  for (let index = 0; index < count; index++) conversations[index] = generateConversation(index, seed, nowMs, origin);
  return conversations;
}
