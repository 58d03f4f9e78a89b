import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONTACT_MESSAGES, normaliseEmail, normalisePhone, normaliseUkPhone, PHONE_MESSAGES } from './contact.ts';

describe('normaliseEmail', () => {
  it('trims and lower-cases the whole address', () => {
    expect(normaliseEmail('  Jo.Bloggs+PTA@Example.CO.UK \n')).toEqual({ ok: true, value: 'jo.bloggs+pta@example.co.uk' });
    expect(normaliseEmail('\u200Bparent@example.com\uFEFF')).toEqual({ ok: true, value: 'parent@example.com' });
    expect(normaliseEmail('\u00A0parent@example.com\u00A0')).toEqual({ ok: true, value: 'parent@example.com' });
  });

  it('converts an international domain to its ASCII form', () => {
    expect(normaliseEmail('anna@Bücher.example')).toEqual({ ok: true, value: 'anna@xn--bcher-kva.example' });
  });

  it('accepts ordinary addresses', () => {
    for (const ok of ['name@example.com', "o'neill@example.org", 'a_b-c@sub.example.co.uk', 'x@example.xn--p1ai', '1@example.io']) {
      expect(normaliseEmail(ok).ok).toBe(true);
    }
  });

  it('asks for an address when the field is empty', () => {
    expect(normaliseEmail('')).toEqual({ ok: false, message: 'Enter an email address' });
    expect(normaliseEmail('   ')).toEqual({ ok: false, message: 'Enter an email address' });
  });

  it('rejects obviously invalid forms with an example of the right format', () => {
    const bad = [
      'name',
      'name@',
      '@example.com',
      'name@example',
      'name@example,com',
      'name@@example.com',
      'na me@example.com',
      'name@exa mple.com',
      'name@example.com.',
      'name@.example.com',
      'name@example..com',
      'name..x@example.com',
      '.name@example.com',
      'name.@example.com',
      'name@-example.com',
      'name@example-.com',
      'name@example.c',
      'name@example.123',
      'name@192.168.0.1',
      '"quoted"@example.com',
      'name@example.com>',
      '<name@example.com>',
      'Jo Bloggs <jo@example.com>',
      'mailto:jo@example.com:',
    ];
    for (const b of bad) expect(normaliseEmail(b), b).toEqual({ ok: false, message: CONTACT_MESSAGES.emailFormat });
    expect(CONTACT_MESSAGES.emailFormat).toContain('name@example.com');
  });

  it('enforces the 254-character and 64-character limits', () => {
    const domain = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example.com`; // 194 chars
    const local = 'x'.repeat(59);
    expect(normaliseEmail(`${local}@${domain}`)).toEqual({ ok: true, value: `${local}@${domain}` }); // 254
    expect(normaliseEmail(`${local}x@${domain}`)).toEqual({ ok: false, message: CONTACT_MESSAGES.emailTooLong });
    expect(normaliseEmail(`${'x'.repeat(65)}@example.com`)).toEqual({ ok: false, message: CONTACT_MESSAGES.emailFormat });
  });

  it('property: normalising is idempotent and the result is lower-case and at most 254 characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 300 })), (raw) => {
        const r = normaliseEmail(raw);
        if (!r.ok) {
          expect(r.message.length).toBeGreaterThan(0);
          return;
        }
        expect(r.value).toBe(r.value.toLowerCase());
        expect(r.value.length).toBeLessThanOrEqual(254);
        expect(normaliseEmail(r.value)).toEqual(r);
        expect(normaliseEmail(`  ${raw.toUpperCase()}  `)).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normaliseUkPhone', () => {
  // Ofcom drama numbers: mobiles 07700 900000-900999, London 020 7946 0000-0999, Leeds 0113 496 0000-0999.
  it('accepts a mobile in the usual ways people type it', () => {
    const forms = [
      '07700 900123',
      '07700900123',
      '07700-900-123',
      '(07700) 900123',
      '+44 7700 900123',
      '+447700900123',
      '+44 (0)7700 900123',
      '+44 07700 900123',
      '0044 7700 900123',
      '00447700900123',
      '447700900123',
      ' 07700.900.123 ',
      '07700 – 900123',
    ];
    for (const f of forms) expect(normaliseUkPhone(f), f).toEqual({ ok: true, value: '+447700900123', kind: 'mobile' });
  });

  it('accepts landlines', () => {
    expect(normaliseUkPhone('020 7946 0123')).toEqual({ ok: true, value: '+442079460123', kind: 'landline' });
    expect(normaliseUkPhone('(0113) 496 0999')).toEqual({ ok: true, value: '+441134960999', kind: 'landline' });
    expect(normaliseUkPhone('+44 (0)113 496 0000')).toEqual({ ok: true, value: '+441134960000', kind: 'landline' });
    expect(normaliseUkPhone('016977 3456')).toEqual({ ok: true, value: '+44169773456', kind: 'landline' });
  });

  it('accepts Isle of Man mobiles (07624)', () => {
    expect(normaliseUkPhone('07624 123456')).toEqual({ ok: true, value: '+447624123456', kind: 'mobile' });
  });

  it('asks for a number when the field is empty', () => {
    expect(normaliseUkPhone('  ')).toEqual({ ok: false, message: CONTACT_MESSAGES.phoneMissing });
  });

  it('rejects numbers that are too short, too long or not numbers, with an example', () => {
    for (const bad of ['07700 90012', '07700 9001234', '7700900123', '0113 496 000', 'call me', '07700 900I23', '07700 900123 ext 4', '+', '12345']) {
      expect(normaliseUkPhone(bad), bad).toEqual({ ok: false, message: CONTACT_MESSAGES.phoneFormat });
    }
    expect(CONTACT_MESSAGES.phoneFormat).toBe('Enter a UK phone number, like 07700 900123');
  });

  it('rejects numbers from other countries', () => {
    for (const bad of ['+1 202 555 0100', '+353 85 123 4567', '0033 6 12 34 56 78']) {
      expect(normaliseUkPhone(bad), bad).toEqual({ ok: false, message: CONTACT_MESSAGES.phoneNotUk });
    }
  });

  it('rejects premium, non-geographic, personal and pager numbers', () => {
    for (const bad of ['0909 879 0000', '0808 157 0000', '0300 123 4567', '07010 123456', '07600 123456']) {
      expect(normaliseUkPhone(bad), bad).toEqual({ ok: false, message: CONTACT_MESSAGES.phoneNotPersonal });
    }
  });

  it('property: every drama mobile in any accepted layout normalises to the same E.164 number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('0', '+44 ', '+44 (0)', '0044 ', '44'),
        fc.constantFrom(' ', '-', '', '  '),
        (n, prefix, sep) => {
          const tail = String(900000 + n);
          const raw = `${prefix}7700${sep}${tail.slice(0, 3)}${sep}${tail.slice(3)}`;
          expect(normaliseUkPhone(raw)).toEqual({ ok: true, value: `+447700${tail}`, kind: 'mobile' });
        },
      ),
    );
  });

  it('property: an accepted number is E.164 and normalising it again gives the same result', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[+0-9 ()-]{0,20}$/), (raw) => {
        const r = normaliseUkPhone(raw);
        if (!r.ok) return;
        expect(r.value).toMatch(/^\+44[127]\d{8,9}$/);
        expect(normaliseUkPhone(r.value)).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalisePhone (any country)', () => {
  it('accepts the Polish number that normaliseUkPhone refuses, however it is typed', () => {
    expect(normaliseUkPhone('+48 600 100 200').ok).toBe(false);
    for (const raw of ['+48 600 100 200', '+48600100200', '0048 600 100 200', '+48 600-100-200']) {
      expect(normalisePhone(raw), raw).toEqual({ ok: true, value: '+48600100200', kind: 'mobile', country: 'PL' });
    }
    expect(normalisePhone('+48 22 123 45 67')).toEqual({ ok: true, value: '+48221234567', kind: 'landline', country: 'PL' });
  });

  it('accepts other countries in E.164', () => {
    expect(normalisePhone('+353 85 123 4567')).toMatchObject({ ok: true, value: '+353851234567', kind: 'mobile', country: 'IE' });
    expect(normalisePhone('0033 6 12 34 56 78')).toMatchObject({ ok: true, value: '+33612345678', kind: 'mobile', country: 'FR' });
    expect(normalisePhone('+1 202 555 0100')).toMatchObject({ ok: true, value: '+12025550100', kind: 'mobile_or_landline', country: 'US' });
  });

  it('takes numbers without a country code as UK numbers, with the UK rules', () => {
    expect(normalisePhone('07700 900123')).toEqual({ ok: true, value: '+447700900123', kind: 'mobile', country: 'GB' });
    expect(normalisePhone('+44 (0)7700 900123')).toEqual({ ok: true, value: '+447700900123', kind: 'mobile', country: 'GB' });
    expect(normalisePhone('020 7946 0123')).toEqual({ ok: true, value: '+442079460123', kind: 'landline', country: 'GB' });
    expect(normalisePhone('07624 123456')).toEqual({ ok: true, value: '+447624123456', kind: 'mobile', country: 'IM' });
  });

  it('refuses malformed, premium and non-personal numbers with a message naming both forms', () => {
    for (const bad of ['07700 90012', '12345', 'call me', '+48 600 100', '+999 123 456 789', '+']) {
      expect(normalisePhone(bad), bad).toEqual({ ok: false, message: PHONE_MESSAGES.format });
    }
    for (const bad of ['0909 879 0000', '+48 800 123 456', '+44 808 157 0000']) {
      expect(normalisePhone(bad), bad).toEqual({ ok: false, message: PHONE_MESSAGES.notPersonal });
    }
    expect(normalisePhone(' ')).toEqual({ ok: false, message: CONTACT_MESSAGES.phoneMissing });
    expect(PHONE_MESSAGES.format).toContain('+48 600 100 200');
  });

  it('property: an accepted number is E.164 and normalising it again gives the same result', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[0-9 ()-]{0,18}$/), (raw) => {
        const r = normalisePhone(raw);
        if (!r.ok) return;
        expect(r.value).toMatch(/^\+[1-9]\d{6,14}$/);
        expect(normalisePhone(r.value)).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });
});
