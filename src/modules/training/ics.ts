/**
 * The iCalendar feed of sessions (RFC 5545), written by hand: CRLF line ends, lines folded at 75
 * octets (never inside a UTF-8 sequence), TEXT values escaped, times in UTC with `Z`, a stable UID
 * per session and SEQUENCE / STATUS:CANCELLED for changed and cancelled ones.
 */
export interface IcsEvent {
  id: string;
  title: string;
  description: string;
  location: string;
  startsAt: Date;
  endsAt: Date;
  cancelled: boolean;
  sequence: number;
  updatedAt: Date;
  url: string;
}

export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

export function icsTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const encoder = new TextEncoder();

/** Fold one content line into chunks of at most 75 octets; continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** `product` names the calendar's source in PRODID ("Training", "Governance"). */
export function buildCalendar(opts: { tenantSlug: string; name: string; now: Date; events: readonly IcsEvent[]; product?: string }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//Parent Mutual//${opts.product ?? 'Training'}//EN`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${icsText(opts.name)}`, 'X-WR-TIMEZONE:Europe/London'];
  for (const e of opts.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.id}@${opts.tenantSlug}.parent-mutual`,
      `DTSTAMP:${icsTime(opts.now)}`,
      `LAST-MODIFIED:${icsTime(e.updatedAt)}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTART:${icsTime(e.startsAt)}`,
      `DTEND:${icsTime(e.endsAt)}`,
      `SUMMARY:${icsText(e.title)}`,
      `DESCRIPTION:${icsText(e.description)}`,
      `LOCATION:${icsText(e.location)}`,
      `URL:${e.url}`,
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
