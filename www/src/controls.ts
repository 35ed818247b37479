// Form widgets the settings panel is built from: column pickers, lists of checkboxes, number
// fields. They hold no state of their own: the page fills them from the settings and reads them
// back. Lists are rebuilt only when what they list changes, and keep the keyboard focus.
import { el } from './dom.js';
import type { ColumnInfo } from './types.js';

/** The value of a picker's "(none)" choice. */
export const NONE = '';

export function columnLabel(column: ColumnInfo): string {
  const name = column.name === '' ? `(column ${column.letter})` : column.name;
  return `${name} (${column.letter}, ${column.kind})`;
}

/** Fills a column picker. A value naming a column the file lacks stays visible, marked, rather
 * than silently switching columns; the core reports it. */
export function fillColumnSelect(
  select: HTMLSelectElement,
  columns: ColumnInfo[],
  value: string | null,
  allowNone: boolean,
  noneLabel = '(none)',
): void {
  const specs: OptionSpec[] = [];
  if (allowNone) specs.push({ value: NONE, text: noneLabel });
  else if (value === null || value === NONE) specs.push({ value: NONE, text: '(choose a column)', disabled: true });
  for (const column of columns) specs.push({ value: column.name, text: columnLabel(column) });
  if (value !== null && value !== NONE && !columns.some((c) => c.name === value)) {
    specs.push({ value, text: `${value} (not in file)` });
  }
  fillSelectSpecs(select, specs, value ?? NONE);
}

/** An option to be: its value, text and whether it is disabled. */
export interface OptionSpec {
  value: string;
  text: string;
  disabled?: boolean;
}

function optionsKey(specs: OptionSpec[]): string {
  return specs.map((o) => `${o.value}\u0000${o.text}\u0000${o.disabled === true ? 1 : 0}`).join('\u0001');
}

/** Replaces a select's options (only when they differ, so an open list is not disturbed, and a
 * file of thousands of columns does not rebuild thousands of options on every change). */
export function fillSelectSpecs(select: HTMLSelectElement, specs: OptionSpec[], value: string): void {
  const key = optionsKey(specs);
  if (select.dataset.key !== key) {
    select.replaceChildren(...specs.map((o) => el('option', { value: o.value, disabled: o.disabled === true }, o.text)));
    select.dataset.key = key;
  }
  select.value = value;
}

/** Replaces a select's options (only when they differ, so an open list is not disturbed). */
export function fillSelect(select: HTMLSelectElement, options: HTMLOptionElement[], value: string): void {
  const key = optionsKey(options.map((o) => ({ value: o.value, text: o.textContent ?? '', disabled: o.disabled })));
  if (select.dataset.key !== key) {
    select.replaceChildren(...options);
    select.dataset.key = key;
  }
  select.value = value;
}

/** Options from [value, text] pairs. */
export function options(pairs: Array<[string, string]>): HTMLOptionElement[] {
  return pairs.map(([value, text]) => el('option', { value }, text));
}

/**
 * Rebuilds `container` with `build()` when `key` changed since the last build, then puts the
 * focus back on the element with the same id (or, if that one is gone or disabled, on the first
 * enabled control of the same list item), so that keyboard users do not lose their place.
 * Returns whether it rebuilt.
 */
export function rebuild(container: HTMLElement, key: string, build: () => Node[]): boolean {
  if (container.dataset.key === key) return false;
  const active = document.activeElement;
  const focusedId = active instanceof HTMLElement && container.contains(active) ? active.id : null;
  container.replaceChildren(...build());
  container.dataset.key = key;
  if (focusedId !== null && focusedId !== '') {
    const again = document.getElementById(focusedId);
    if (again instanceof HTMLElement && !(again as HTMLButtonElement).disabled) {
      again.focus();
    } else {
      const item = again?.closest('li, .check, .field');
      const next = item?.querySelector<HTMLElement>('button:not(:disabled), input:not(:disabled), select:not(:disabled)');
      (next ?? container).focus();
    }
  }
  return true;
}

export interface CheckItem {
  /** The value (a column name). */
  value: string;
  label: string;
}

/**
 * A list of checkboxes (a multi-select that works with the keyboard and needs no Ctrl-click):
 * rebuilt when the items change, otherwise only ticked and enabled as told.
 */
export function syncChecklist(
  box: HTMLElement,
  idPrefix: string,
  items: CheckItem[],
  checked: ReadonlySet<string>,
  disabled: boolean,
  onToggle: (value: string, checked: boolean) => void,
): void {
  rebuild(box, items.map((i) => `${i.value}\u0000${i.label}`).join('\u0001'), () =>
    items.map((item, k) => {
      const id = `${idPrefix}-${k}`;
      const input = el('input', { type: 'checkbox', id, value: item.value });
      input.addEventListener('change', () => onToggle(item.value, input.checked));
      return el('div', { class: 'check' }, input, el('label', { for: id }, item.label));
    }),
  );
  for (const input of Array.from(box.querySelectorAll<HTMLInputElement>('input[type="checkbox"]'))) {
    input.checked = checked.has(input.value);
    input.disabled = disabled;
  }
}

/** Sets an input's value unless the user is typing in it. */
export function setInputValue(input: HTMLInputElement, value: string): void {
  if (document.activeElement === input && input.value.trim() === value.trim()) return;
  input.value = value;
}

/** Reads a number field: null when empty; throws a message naming the field otherwise. */
export function readNumber(input: HTMLInputElement, what: string): number | null {
  const text = input.value.trim();
  if (text === '') {
    // An <input type=number> holding text the browser cannot read reports an empty value.
    if (input.validity.badInput) throw new Error(`${what}: write a number.`);
    return null;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${what}: "${text}" is not a number.`);
  return value;
}
