// Settings as the page keeps them: copies, the columns a settings object names, and the copy
// remembered in this browser (localStorage). Only settings are stored, never data: the stored
// object names columns and, where chosen, group levels and figure labels.
import type { ColumnInfo, DateEndpoint, EndpointSpec, Settings, TimeUnit } from './types.js';

/** The localStorage key; it names the app, nothing about the file. */
const STORAGE_KEY = 'survcalc.settings.v1';

export function cloneSettings(settings: Settings): Settings {
  return structuredClone(settings);
}

/** Every column a settings object refers to, each once, in the order it names them. */
export function namedColumns(settings: Settings): string[] {
  const names: string[] = [];
  const add = (name: string | null | undefined) => {
    if (typeof name === 'string' && !names.includes(name)) names.push(name);
  };
  for (const endpoint of settings.endpoints) {
    const dates = endpoint.dates;
    if (dates) {
      add(dates.start);
      dates.events.forEach(add);
      add(dates.last_contact);
    } else {
      add(endpoint.time);
      add(endpoint.event);
    }
  }
  add(settings.group);
  add(settings.strata);
  add(settings.weight);
  add(settings.cluster);
  add(settings.response);
  settings.covariates.forEach(add);
  settings.categorical.forEach((c) => add(c.variable));
  settings.cohort?.forEach(add);
  add(settings.waterfall);
  add(settings.swimmer_label);
  (settings.subset ?? []).forEach((c) => add(c.column));
  return names;
}

/** The columns `settings` names that the file does not have. */
export function missingColumns(settings: Settings, columns: ColumnInfo[]): string[] {
  const have = new Set(columns.map((c) => c.name));
  return namedColumns(settings).filter((name) => !have.has(name));
}

/** The labels of a date endpoint's derived time and event (no columns: they name the derived
 * values, and the time's label is what the figure's axis says: "Time (months)"). */
export function dateLabels(name: string, unit: TimeUnit): Pick<EndpointSpec, 'time' | 'event'> {
  return { time: unit, event: `${name} event` };
}

/** A first date endpoint for the columns: start and last-contact columns picked by name when
 * the headers say so (start_date, last_contact_date), event dates left for the user to tick. */
export function newDateEndpoint(columns: ColumnInfo[]): DateEndpoint {
  const named = (pattern: RegExp) => columns.find((c) => pattern.test(c.name) && /date/i.test(c.name))?.name;
  return {
    start: named(/start|entry|begin|diagnos/i) ?? '',
    events: [],
    last_contact: named(/last|contact|follow/i) ?? null,
    unit: 'months',
    cutoff: null,
    date_order: 'auto',
  };
}

export function loadStoredSettings(): Settings | null {
  try {
    const text = window.localStorage.getItem(STORAGE_KEY);
    if (text === null) return null;
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || !Array.isArray((value as Settings).endpoints)) return null;
    return value as Settings;
  } catch {
    return null; // storage switched off, or an unreadable entry: start from the defaults
  }
}

export function storeSettings(settings: Settings): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Storage full or switched off: the page works without it.
  }
}

export function forgetSettings(): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
