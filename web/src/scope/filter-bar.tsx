import { cloneElement, useEffect, useId, useState, type ReactElement } from 'react';
import { humanize } from '../ui/format';
import { useAgentCatalog, useMetricCatalog, type MetricDefinition } from './catalog';
import { ANALYSIS_STATUSES, BUCKETS, CHANNELS, EVENT_TYPES, FILTER_PARAMS, OUTCOMES, SENTIMENTS, STATUSES, useScope, type Scope, type ScopeParam } from './scope';
import { addDays, timeZoneNames, todayIn } from './zoned-date';

const PRESETS = [7, 30, 90] as const;

/** The date range, time zone and conversation filters every page shares (kept in the URL). */
export function FilterBar({ showBucket = false, showFilters = true }: { showBucket?: boolean; showFilters?: boolean }) {
  const scope = useScope();
  return (
    <section className="filter-bar" aria-label="Date range and filters">
      <div className="filter-row">
        <Field label="From">
          <input type="date" value={scope.fromDate} max={scope.toDate} onChange={(event) => event.target.value && scope.set({ from: event.target.value })} />
        </Field>
        <Field label="To">
          <input type="date" value={scope.toDate} min={scope.fromDate} onChange={(event) => event.target.value && scope.set({ to: event.target.value })} />
        </Field>
        <div className="segmented" role="group" aria-label="Quick ranges">
          {PRESETS.map((days) => {
            const today = todayIn(scope.timezone);
            const active = scope.toDate === today && scope.fromDate === addDays(today, -(days - 1));
            return (
              <button key={days} type="button" aria-pressed={active} onClick={() => scope.set({ from: addDays(today, -(days - 1)), to: today })}>
                {days} days
              </button>
            );
          })}
        </div>
        <Field label="Time zone">
          <select value={scope.timezone} onChange={(event) => scope.set({ tz: event.target.value })}>
            {timeZoneNames().map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
        {showBucket ? (
          <Field label="Bucket">
            <select value={scope.bucket} onChange={(event) => scope.set({ bucket: event.target.value })}>
              {BUCKETS.map((bucket) => (
                <option key={bucket} value={bucket}>
                  {humanize(bucket)}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </div>
      {showFilters ? <ConversationFilters scope={scope} /> : null}
    </section>
  );
}

function ConversationFilters({ scope }: { scope: Scope }) {
  const { agents } = useAgentCatalog();
  const { metrics } = useMetricCatalog();
  const metric = metrics.find((candidate) => candidate.identifier === scope.get('dm'));
  return (
    <div className="filter-row">
      <Choice label="Channel" param="channel" scope={scope} options={CHANNELS} />
      <Choice label="Outcome" param="outcome" scope={scope} options={OUTCOMES} />
      <Choice label="Sentiment" param="sentiment" scope={scope} options={SENTIMENTS} />
      <Choice label="Status" param="status" scope={scope} options={STATUSES} />
      <Choice label="Analysis" param="analysis" scope={scope} options={ANALYSIS_STATUSES} anyLabel="Any analysis state" />
      <Field label="Agent">
        <select value={scope.get('agent')} onChange={(event) => scope.set({ agent: event.target.value })}>
          <option value="">Any agent</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </Field>
      <Choice label="Event" param="event" scope={scope} options={EVENT_TYPES} anyLabel="Any event" />
      {metrics.length ? (
        <Field label="Metric filter">
          <select value={scope.get('dm')} onChange={(event) => scope.set({ dm: event.target.value, dmv: null, dmin: null, dmax: null })}>
            <option value="">No metric filter</option>
            {metrics.map((candidate) => (
              <option key={candidate.identifier} value={candidate.identifier}>
                {candidate.identifier}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {metric ? <MetricValue metric={metric} scope={scope} /> : null}
      <SearchText scope={scope} />
      {scope.activeFilters ? (
        <button
          type="button"
          className="button button-quiet filter-clear"
          onClick={() => scope.set(Object.fromEntries(FILTER_PARAMS.map((param) => [param, null])))}
        >
          Clear {scope.activeFilters} {scope.activeFilters === 1 ? 'filter' : 'filters'}
        </button>
      ) : null}
    </div>
  );
}

function MetricValue({ metric, scope }: { metric: MetricDefinition; scope: Scope }) {
  switch (metric.type) {
    case 'ENUM':
      return (
        <Field label="Value">
          <select value={scope.get('dmv')} onChange={(event) => scope.set({ dmv: event.target.value })}>
            <option value="">Any value</option>
            {metric.choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </Field>
      );
    case 'BOOLEAN':
      return (
        <Field label="Value">
          <select value={scope.get('dmv')} onChange={(event) => scope.set({ dmv: event.target.value })}>
            <option value="">Any value</option>
            <option value="true">Yes</option>
            <option value="false">No</option>
          </select>
        </Field>
      );
    case 'INTEGER':
      return (
        <>
          <DeferredInput label="At least" type="number" param="dmin" scope={scope} />
          <DeferredInput label="At most" type="number" param="dmax" scope={scope} />
        </>
      );
    case 'DATETIME':
      return (
        <>
          <Field label="On or after">
            <input type="date" value={scope.get('dmin')} onChange={(event) => scope.set({ dmin: event.target.value })} />
          </Field>
          <Field label="On or before">
            <input type="date" value={scope.get('dmax')} onChange={(event) => scope.set({ dmax: event.target.value })} />
          </Field>
        </>
      );
    case 'STRING':
      return <DeferredInput label="Equals" type="text" param="dmv" scope={scope} />;
  }
}

function SearchText({ scope }: { scope: Scope }) {
  return <DeferredInput label="Text in messages" type="search" param="q" scope={scope} placeholder="Search transcripts" />;
}

/** A text box that writes to the URL once typing pauses (or on Enter), not on every key. */
function DeferredInput({ label, type, param, scope, placeholder }: { label: string; type: string; param: ScopeParam; scope: Scope; placeholder?: string }) {
  const current = scope.get(param);
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);
  useEffect(() => {
    if (value === current) return;
    const timer = setTimeout(() => scope.set({ [param]: value }), 400);
    return () => clearTimeout(timer);
  }, [value, current, param, scope]);
  return (
    <Field label={label}>
      <input
        type={type}
        value={value}
        placeholder={placeholder}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') scope.set({ [param]: value });
        }}
      />
    </Field>
  );
}

function Choice({ label, param, scope, options, anyLabel }: { label: string; param: ScopeParam; scope: Scope; options: readonly string[]; anyLabel?: string }) {
  return (
    <Field label={label}>
      <select value={scope.get(param)} onChange={(event) => scope.set({ [param]: event.target.value })}>
        <option value="">{anyLabel ?? `Any ${label.toLowerCase()}`}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {humanize(option)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A caption and its one control, tied by id so that the control's name is the caption alone. */
export function Field({ label, children }: { label: string; children: ReactElement<{ id?: string }> }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id })}
    </div>
  );
}
