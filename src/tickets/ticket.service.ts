import type { GraphQLResolveInfo } from 'graphql';
import type { TenantScope } from '../database/tenant-scope.js';
import type { Prisma, Ticket } from '../generated/prisma/client.js';
import type { Connection } from '../graphql/connection.js';
import { createdAtPage } from '../graphql/keyset.js';
import { readPlanned } from '../read-planner/planned-read.js';
import { planTickets } from '../read-planner/read-planner.js';
import type { TicketFilter } from './ticket.types.js';

/** The `tickets(filter)` input as a Prisma where (the tenant scope adds the organization). */
export function ticketWhere(filter: TicketFilter | null | undefined): Prisma.TicketWhereInput {
  return {
    ...(filter?.ticketSystem ? { ticketSystem: filter.ticketSystem } : {}),
    ...(filter?.ticketId ? { ticketId: filter.ticketId } : {}),
    ...(filter?.action ? { action: filter.action } : {}),
  };
}

/** Reads of ticket rows (one per conversation that touched a ticket) for one organization. */
export class TicketService {
  constructor(private readonly scope: TenantScope) {}

  /** In creation order, `(createdAt, id)` keyset cursors; planned in one statement when the selection allows. */
  async list(filter: TicketFilter | null | undefined, first?: number | null, after?: string | null, info?: GraphQLResolveInfo): Promise<Connection<Ticket>> {
    const planned = info ? planTickets(info, { filter, first, after }) : null;
    if (planned) return (await readPlanned(this.scope, planned)) as Connection<Ticket>;
    const { db } = this.scope;
    return createdAtPage<Ticket>({ first, after, where: ticketWhere(filter), findMany: (args) => db.ticket.findMany(args), count: (args) => db.ticket.count(args) });
  }
}
