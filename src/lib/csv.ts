/**
 * A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF/LF) and writer.
 * Writer escapes cells that a spreadsheet would run as a formula (= + - @, tab, CR).
 */
/** One record of a CSV file and the line it starts on (quoted cells may span lines). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * Read CSV keeping the physical line each record starts on, so errors can point at the line a
 * person sees in an editor. Blank lines are skipped; an unclosed quote throws CsvError naming the
 * line where it opened.
 */
export function readCsvRows(text: string, delimiter: CsvDelimiter = ','): CsvRow[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowStart = 1;
  let quoteStart = 1;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0]!.trim() === '')) rows.push({ line: rowStart, cells: row });
    row = [];
    field = '';
  };
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 1;
        } else inQuotes = false;
        continue;
      }
      if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line += 1;
      field += ch;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quoteStart = line;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowStart = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw new CsvError(`line ${quoteStart}: a cell opens a quote (") that is never closed; close the quote or remove it`, quoteStart);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The separator of a file, from its first record: the one of comma, semicolon and tab that occurs
 * most outside quotes (spreadsheets set to Polish or German save "CSV" with semicolons). Comma on a tie.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF/LF, BOM) as rows of cells. */
export function parseCsv(text: string): string[][] {
  return readCsvRows(text).map((r) => r.cells);
}

export class CsvError extends Error {
  constructor(
    message: string,
    /** The line of the problem (1 = the first line), when known. */
    readonly line = 0,
  ) {
    super(message);
  }
}

/** Parse CSV with a header row into records keyed by header name. */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [first, ...rows] = readCsvRows(text);
  if (!first) throw new CsvError('the file is empty: expected a header row');
  const header = first.cells;
  const records = rows.map(({ line, cells }) => {
    if (cells.length !== header.length) {
      throw new CsvError(`line ${line} has ${cells.length} cells, the header has ${header.length}`, line);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
  });
  return { header, records };
}

// A cell a spreadsheet would run as a formula, or one that already starts with our escape before
// such a character ("'=x" is written "''=x"), so stripping one "'" on import always gives the value back.
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function escapeCsvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map((r) => r.map(escapeCsvCell).join(',')).join('\r\n') + '\r\n';
}
