import ExcelJS from 'exceljs';
import { toCsv } from '../../lib/csv.ts';
import { exportValue, type AnswerTable } from './answers.ts';

/**
 * An answer's table as CSV (cells starting like a formula are escaped by `src/lib/csv.ts`) and as
 * XLSX (exceljs: strings are stored as strings, never formulas). Both hold exactly the page's
 * table: its header, its rows, its total row; money in pounds, hidden counts as `c`.
 */
export function answerRows(table: AnswerTable): Array<Array<string | number>> {
  const body = [...table.rows, ...(table.total ? [table.total] : [])];
  return [table.columns.map((c) => c.label), ...body.map((r) => r.values.map((v, i) => exportValue(table.columns[i]!, v)))];
}

export function answerCsv(table: AnswerTable): string {
  return toCsv(answerRows(table));
}

export async function answerXlsx(table: AnswerTable, sheetName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Answer');
  for (const row of answerRows(table)) ws.addRow(row);
  ws.getRow(1).font = { bold: true };
  table.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.kind === 'text' ? 32 : 14;
    if (c.kind === 'money') col.numFmt = '£#,##0.00';
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
