import { isoDate } from '../../lib/dates.ts';
/**
 * Reading an uploaded file into sheets of cells, with the refusals that come before any row is
 * looked at (issue 11 item 5, "Bad input"): a CSV that is not UTF-8 (a BOM is fine), NUL bytes, a
 * macro-enabled workbook (.xlsm, vbaProject.bin, a macro content type), any formula cell (named),
 * files over the upload limit. Writing: CSV and XLSX in the template format.
 */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { CsvError, detectDelimiter, readCsvRows, toCsv } from '../../lib/csv.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';

/** Largest import accepted (manifest `uploads`): 10 MB, about 150,000 reach rows. */
export const RES_IMPORT_MAX_BYTES = 10 * 1024 * 1024;

export type Cell = string | number;

export interface Sheet {
  /** The sheet's name in a workbook (a CSV has none). */
  name: string;
  header: string[];
  rows: Array<{ row: number; cells: Cell[] }>;
}

export class FileProblem extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function looksLikeXlsx(name: string, bytes: Uint8Array): boolean {
  return /\.xls[xm]$/i.test(name) || isZip(bytes);
}

/** Read an upload (CSV or XLSX, decided by content and name) into sheets, or throw FileProblem. */
export async function readUpload(name: string, bytes: Uint8Array): Promise<Sheet[]> {
  if (bytes.length > RES_IMPORT_MAX_BYTES) throw new FileProblem('res.core.file.tooBig', { mb: RES_IMPORT_MAX_BYTES / 1024 / 1024 });
  if (bytes.length === 0) throw new FileProblem('res.core.file.empty');
  if (/\.xlsm$/i.test(name)) throw new FileProblem('res.core.file.macro');
  if (looksLikeXlsx(name, bytes)) return readXlsx(bytes);
  if (/\.xls$/i.test(name)) throw new FileProblem('res.core.file.oldXls');
  return [readCsvSheet(bytes)];
}

export function readCsvSheet(bytes: Uint8Array): Sheet {
  if (bytes.includes(0)) throw new FileProblem('res.core.file.nul');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileProblem('res.core.file.notUtf8');
  }
  let rows;
  try {
    rows = readCsvRows(text, detectDelimiter(text.replace(/^\uFEFF/, '')));
  } catch (e) {
    if (e instanceof CsvError) throw new FileProblem('res.core.file.badQuote', { line: e.line });
    throw e;
  }
  const [head, ...body] = rows;
  if (!head) throw new FileProblem('res.core.file.empty');
  return { name: '', header: head.cells, rows: body.map((r) => ({ row: r.line, cells: r.cells })) };
}

async function readXlsx(bytes: Uint8Array): Promise<Sheet[]> {
  if (!isZip(bytes)) throw new FileProblem('res.core.file.notXlsx');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name === '[Content_Types].xml' || /vbaProject\.bin$/i.test(f.name) || f.name.startsWith('xl/') });
  } catch {
    throw new FileProblem('res.core.file.notXlsx');
  }
  if (Object.keys(entries).some((n) => /vbaProject\.bin$/i.test(n))) throw new FileProblem('res.core.file.macro');
  const types = entries['[Content_Types].xml'];
  if (!types) throw new FileProblem('res.core.file.notXlsx');
  const typesText = strFromU8(types);
  if (/macroEnabled|vbaProject/i.test(typesText)) throw new FileProblem('res.core.file.macro');
  if (!/spreadsheetml\.sheet\.main\+xml/.test(typesText)) throw new FileProblem('res.core.file.notXlsx');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new FileProblem('res.core.file.notXlsx');
  }
  const sheets: Sheet[] = [];
  for (const ws of workbook.worksheets) {
    const grid: Array<{ row: number; cells: Cell[] }> = [];
    let header: string[] | undefined;
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        if (cell.type === ExcelJS.ValueType.Formula || cell.formula || (cell.value && typeof cell.value === 'object' && ('formula' in cell.value || 'sharedFormula' in cell.value))) {
          throw new FileProblem('res.core.file.formula', { cell: `${ws.name}!${cell.address}` });
        }
        cells[col - 1] = cellValue(cell.value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      if (cells.every((c) => String(c).trim() === '')) return;
      if (!header) header = cells.map(String);
      else grid.push({ row: rowNumber, cells });
    });
    if (header) sheets.push({ name: ws.name, header, rows: grid });
  }
  if (!sheets.length) throw new FileProblem('res.core.file.empty');
  return sheets;
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v instanceof Date) return isoDate(v);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  if (typeof v === 'object' && 'error' in v) return '';
  return String(v);
}

/** A workbook of named sheets (header row bold, frozen) for templates and the demo spreadsheet. */
export async function writeXlsx(sheets: ReadonlyArray<{ name: string; rows: ReadonlyArray<ReadonlyArray<Cell>> }>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Parent Mutual';
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    for (const r of s.rows) ws.addRow([...r]);
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((c) => {
      c.width = 18;
    });
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export function writeCsv(rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return `\uFEFF${toCsv(rows)}`;
}
