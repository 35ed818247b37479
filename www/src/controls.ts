// Form widgets the settings panel is built from: column pickers, lists of checkboxes, number
// fields. They hold no state of their own: the page fills them from the settings and reads them
// back. Lists are rebuilt only when what they list changes, and keep the keyboard focus.
//
// A file of thousands of columns (a registry export) would make every column picker a native
// <select> of thousands of options and every checklist thousands of checkboxes: seconds of work
// on the page's thread, and lists nobody can scroll through. Above `SEARCH_THRESHOLD` columns a
// picker becomes a searchable combobox (`ColumnPicker`) and a checklist gets a filter field
// (`ListFilter`); both list at most `SHOWN_MATCHES` matching columns at a time.
import { el, formatCount } from './dom.js';
import type { ColumnInfo } from './types.js';

/** The value of a picker's "(none)" choice. */
export const NONE = '';

export function columnLabel(column: ColumnInfo): string {
  const name = column.name === '' ? `(column ${column.letter})` : column.name;
  return `${name} (${column.letter}, ${column.kind})`;
}

/** Above this many columns, column pickers are searchable and checklists filtered. */
export const SEARCH_THRESHOLD = 100;
/** Matching columns a searchable picker or a filtered checklist lists at a time. */
export const SHOWN_MATCHES = 50;

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
  filter?: ListFilter,
): void {
  const shown = filter ? filter.pick(items.map((i) => i.value), (k) => checked.has(items[k]?.value ?? '')) : items.map((_, k) => k);
  const key = shown.map((k) => `${k}\u0000${items[k]?.value ?? ''}\u0000${items[k]?.label ?? ''}`).join('\u0001');
  rebuild(box, key, () =>
    shown.map((k) => {
      const item = items[k] ?? { value: '', label: '' };
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

// ---------------------------------------------------------------------------------------------
// Searching columns

/** A file's columns looked up by name, and their names in lower case (made once per file). */
interface ColumnIndex {
  byName: Map<string, ColumnInfo>;
  lower: string[];
}

const indexes = new WeakMap<readonly ColumnInfo[], ColumnIndex>();

/** The index of a list of columns, cached for as long as the list lives. */
export function columnIndex(columns: readonly ColumnInfo[]): ColumnIndex {
  let index = indexes.get(columns);
  if (index === undefined) {
    index = { byName: new Map(columns.map((c) => [c.name, c])), lower: columns.map((c) => c.name.toLowerCase()) };
    indexes.set(columns, index);
  }
  return index;
}

/**
 * The columns (their indices) whose name contains `query`, ignoring case: a name equal to it (or
 * a column letter equal to it) first, then names starting with it, then the others, each in the
 * file's order. `total` counts every match; `indices` holds at most `limit`.
 */
export function matchColumns(columns: readonly ColumnInfo[], query: string, limit: number): { indices: number[]; total: number } {
  const q = query.trim().toLowerCase();
  const { lower } = columnIndex(columns);
  if (q === '') return { indices: Array.from({ length: Math.min(limit, columns.length) }, (_, i) => i), total: columns.length };
  const exact: number[] = [];
  const prefix: number[] = [];
  const inside: number[] = [];
  lower.forEach((name, i) => {
    if (name === q || columns[i]?.letter.toLowerCase() === q) exact.push(i);
    else if (name.startsWith(q)) prefix.push(i);
    else if (name.includes(q)) inside.push(i);
  });
  const all = exact.concat(prefix, inside);
  return { indices: all.slice(0, limit), total: all.length };
}

// ---------------------------------------------------------------------------------------------
// Column pickers

/** One choice of a picker's list. */
interface Choice {
  value: string;
  text: string;
}

/**
 * A column picker. For a file of up to `SEARCH_THRESHOLD` columns it is the page's own <select>
 * (filled by `fillColumnSelect`). For a wider file the <select> leaves the page and a combobox
 * takes its place, id and label (the ARIA combobox pattern with a list popup): type to filter
 * the columns by name, ↓/↑ to move through the matches, Enter to choose, Escape to close and
 * keep the choice. It lists at most `SHOWN_MATCHES` matches and says how many more there are.
 * Nothing else changes for the page: `value` is the chosen column's name (NONE for none) and
 * `onChange` handlers run when the user chooses.
 */
export class ColumnPicker {
  readonly select: HTMLSelectElement;
  readonly input: HTMLInputElement;
  private readonly wrap: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly popup: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly more: HTMLElement;
  private readonly live: HTMLElement;
  private readonly id: string;
  private readonly handlers: Array<() => void> = [];
  private columns: readonly ColumnInfo[] = [];
  private current: string = NONE;
  private allowNone = true;
  private noneLabel = '(none)';
  private wide = false;
  private choices: Choice[] = [];
  private active = -1;

  constructor(select: HTMLSelectElement) {
    this.select = select;
    this.id = select.id;
    const listId = `${this.id}-list`;
    const hintId = `${this.id}-picker-hint`;
    const describedBy = [select.getAttribute('aria-describedby'), hintId].filter((x) => x !== null && x !== '').join(' ');
    this.input = el('input', {
      type: 'text',
      class: 'picker-input',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      'aria-label': select.getAttribute('aria-label') ?? undefined,
      'aria-describedby': describedBy,
    });
    this.toggle = el('button', { type: 'button', class: 'picker-toggle', tabindex: '-1', 'aria-hidden': 'true' }, '▾');
    // tabindex -1: a scrolling list is not a stop of its own for Tab (the field is).
    this.list = el('ul', { id: listId, class: 'picker-list', role: 'listbox', 'aria-label': 'Matching columns', tabindex: '-1' });
    this.more = el('p', { class: 'picker-more' });
    this.popup = el('div', { class: 'picker-popup', hidden: true }, this.list, this.more);
    this.live = el('span', { class: 'visually-hidden', role: 'status' });
    this.wrap = el(
      'div',
      { class: `picker ${select.className}`.trim() },
      el('div', { class: 'picker-row' }, this.input, this.toggle),
      el('span', { class: 'visually-hidden', id: hintId }, 'Type to find a column, then choose it with the arrow keys and Enter.'),
      this.popup,
      this.live,
    );
    this.wire();
  }

  /** The chosen column's name (NONE: none). */
  get value(): string {
    return this.wide ? this.current : this.select.value;
  }

  /** The element in the page: the <select>, or the combobox's wrapper for a wide file. */
  get element(): HTMLElement {
    return this.wide ? this.wrap : this.select;
  }

  /** Whether the combobox is in use (a wide file). */
  get searchable(): boolean {
    return this.wide;
  }

  /** Runs `handler` whenever the user chooses a column. */
  onChange(handler: () => void): void {
    this.handlers.push(handler);
    this.select.addEventListener('change', handler);
  }

  /** Shows `value` among `columns` (see `fillColumnSelect` for a value the file lacks). */
  fill(columns: readonly ColumnInfo[], value: string | null, allowNone: boolean, noneLabel = '(none)'): void {
    const wide = columns.length > SEARCH_THRESHOLD;
    this.setWide(wide);
    if (!wide) {
      fillColumnSelect(this.select, columns as ColumnInfo[], value, allowNone, noneLabel);
      return;
    }
    const changedColumns = this.columns !== columns;
    this.columns = columns;
    this.current = value ?? NONE;
    this.allowNone = allowNone;
    this.noneLabel = noneLabel;
    this.input.placeholder = `Type to find one of ${formatCount(columns.length)} columns`;
    const editing = document.activeElement === this.input;
    if (!editing) this.input.value = this.currentText();
    this.input.dataset.value = this.current;
    if (changedColumns && !this.popup.hidden) this.render(this.input.value);
  }

  private setWide(wide: boolean): void {
    if (wide === this.wide) return;
    this.wide = wide;
    if (wide) {
      this.select.replaceWith(this.wrap);
      this.select.removeAttribute('id');
      this.input.id = this.id;
    } else {
      this.close();
      this.input.removeAttribute('id');
      this.select.id = this.id;
      this.wrap.replaceWith(this.select);
      this.columns = [];
    }
  }

  /** The text of the chosen column (empty when none must be chosen yet). */
  private currentText(): string {
    if (this.current === NONE) return this.allowNone ? this.noneLabel : '';
    const column = columnIndex(this.columns).byName.get(this.current);
    return column === undefined ? `${this.current} (not in file)` : columnLabel(column);
  }

  private wire(): void {
    const input = this.input;
    input.addEventListener('focus', () => input.select());
    input.addEventListener('input', () => this.open(input.value));
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('blur', (event) => {
      if (event.relatedTarget instanceof Node && this.wrap.contains(event.relatedTarget)) return;
      // A name typed in full is a choice; anything else goes back to the chosen column.
      const typed = input.value.trim();
      this.close();
      if (typed !== this.currentText() && columnIndex(this.columns).byName.has(typed)) this.choose(typed);
      else input.value = this.currentText();
    });
    // The list and its button keep the focus in the field: the pointer picks, the field types.
    for (const node of [this.toggle, this.popup]) node.addEventListener('mousedown', (event) => event.preventDefault());
    this.toggle.addEventListener('click', () => {
      if (this.popup.hidden) {
        input.focus();
        this.open('');
      } else {
        this.close();
      }
    });
    this.list.addEventListener('click', (event) => {
      const option = event.target instanceof Element ? event.target.closest('[role="option"]') : null;
      const k = option instanceof HTMLElement ? Number(option.dataset.k) : NaN;
      const choice = this.choices[k];
      if (choice !== undefined) this.choose(choice.value);
    });
  }

  private onKey(event: KeyboardEvent): void {
    const open = !this.popup.hidden;
    const step = (by: number) => {
      if (!open) this.open('');
      else this.setActive(Math.max(0, Math.min(this.choices.length - 1, this.active + by)));
    };
    switch (event.key) {
      case 'ArrowDown':
        if (event.altKey && open) return;
        step(1);
        break;
      case 'ArrowUp':
        if (event.altKey) this.close();
        else if (open) step(-1);
        else return;
        break;
      case 'PageDown':
        if (!open) return;
        step(10);
        break;
      case 'PageUp':
        if (!open) return;
        step(-10);
        break;
      case 'Enter': {
        if (!open) return;
        const choice = this.choices[this.active];
        if (choice !== undefined) this.choose(choice.value);
        break;
      }
      case 'Tab':
        // Tab leaves the field (see blur): the list closes, the choice stays.
        this.close();
        return;
      case 'Escape':
        if (!open && this.input.value === this.currentText()) return;
        this.close();
        this.input.value = this.currentText();
        this.input.select();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  /** Opens the list with the columns matching `query` (all of them for an empty one). */
  private open(query: string): void {
    this.popup.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.render(query);
  }

  private close(): void {
    this.popup.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.list.replaceChildren();
    this.choices = [];
    this.active = -1;
    this.live.textContent = '';
  }

  private render(query: string): void {
    const q = query.trim();
    // The field shows the chosen column's text until the user types: that lists everything.
    const filter = q === this.currentText() ? '' : q;
    const choices: Choice[] = [];
    // "(none)" heads the full list, and is found by typing "none".
    if (this.allowNone && (filter === '' || this.noneLabel.toLowerCase().includes(filter.toLowerCase()))) {
      choices.push({ value: NONE, text: this.noneLabel });
    }
    if (filter === '') {
      if (this.current !== NONE && !columnIndex(this.columns).byName.has(this.current)) {
        choices.push({ value: this.current, text: `${this.current} (not in file)` });
      }
    }
    const { indices, total } = matchColumns(this.columns, filter, SHOWN_MATCHES);
    for (const i of indices) {
      const column = this.columns[i];
      if (column !== undefined) choices.push({ value: column.name, text: columnLabel(column) });
    }
    this.choices = choices;
    this.list.replaceChildren(
      ...choices.map((choice, k) =>
        el(
          'li',
          { id: `${this.id}-option-${k}`, role: 'option', 'data-k': String(k), class: choice.value === this.current ? 'is-current' : undefined, 'aria-selected': 'false' },
          choice.text,
        ),
      ),
    );
    const rest = total - indices.length;
    this.more.textContent =
      total === 0
        ? `No column name contains "${filter}".`
        : rest > 0
          ? `${formatCount(rest)} more — type to narrow.`
          : '';
    this.more.hidden = this.more.textContent === '';
    setText(
      this.live,
      total === 0 ? this.more.textContent : `${formatCount(total)} ${total === 1 ? 'column' : 'columns'}${rest > 0 ? `, the first ${indices.length} listed` : ''}.`,
    );
    const chosen = filter === '' ? choices.findIndex((c) => c.value === this.current) : -1;
    this.setActive(choices.length === 0 ? -1 : Math.max(0, chosen));
  }

  private setActive(k: number): void {
    const before = this.list.children[this.active];
    before?.setAttribute('aria-selected', 'false');
    before?.classList.remove('is-active');
    this.active = k;
    const option = this.list.children[k];
    if (!(option instanceof HTMLElement)) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    option.setAttribute('aria-selected', 'true');
    option.classList.add('is-active');
    this.input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  }

  private choose(value: string): void {
    this.close();
    const changed = value !== this.current;
    this.current = value;
    this.input.value = this.currentText();
    this.input.dataset.value = value;
    if (changed) for (const handler of this.handlers) handler();
  }
}

// ---------------------------------------------------------------------------------------------
// Filtered checklists

/**
 * The filter of a long checklist (covariates, cohort table variables): a search field and a line
 * saying how many matches are not listed, placed before the list. A list of up to
 * `SEARCH_THRESHOLD` items shows every item and no filter.
 */
export class ListFilter {
  readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly wrap: HTMLElement;

  /** @param what what the list holds, for the field's label ("covariates"). */
  constructor(box: HTMLElement, what: string, onFilter: () => void) {
    const id = `${box.id}-filter`;
    this.input = el('input', { type: 'search', id, class: 'list-filter-input', autocomplete: 'off', spellcheck: 'false', 'aria-controls': box.id, 'aria-describedby': `${id}-status` });
    this.status = el('p', { class: 'hint', id: `${id}-status`, role: 'status' });
    this.wrap = el('div', { class: 'list-filter', hidden: true }, el('label', { for: id }, `Find ${what}`), this.input, this.status);
    box.before(this.wrap);
    this.input.addEventListener('input', onFilter);
  }

  /**
   * The items to list (indices into `names`, in order): every item of a short list; for a long
   * one the first `SHOWN_MATCHES` whose name contains the query, and, while the query is empty,
   * every `pinned` one (the ticked ones) too.
   */
  pick(names: readonly string[], pinned: (i: number) => boolean): number[] {
    const long = names.length > SEARCH_THRESHOLD;
    this.wrap.hidden = !long;
    if (!long) {
      setText(this.status, '');
      return names.map((_, i) => i);
    }
    const q = this.input.value.trim().toLowerCase();
    const shown: number[] = [];
    let matches = 0;
    let listed = 0;
    names.forEach((name, i) => {
      const match = q === '' || (name.length >= q.length && name.toLowerCase().includes(q));
      if (match) matches += 1;
      if (match && listed < SHOWN_MATCHES) {
        listed += 1;
        shown.push(i);
      } else if (q === '' && pinned(i)) {
        shown.push(i);
      }
    });
    const rest = matches - listed;
    setText(
      this.status,
      matches === 0
        ? `No column name contains "${this.input.value.trim()}".`
        : `${formatCount(matches)} ${q === '' ? 'columns' : matches === 1 ? 'match' : 'matches'}` +
          (rest > 0 ? `, ${formatCount(rest)} more not listed — type to narrow.` : ', all listed.'),
    );
    return shown;
  }
}

/** Sets a live region's text only when it changes (so that it is not announced again). */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
