import { describe, expect, it } from 'vitest';
import { findPersonalDetails, personalDetailKinds } from './pii.ts';

describe('findPersonalDetails', () => {
  it('finds email addresses', () => {
    expect(personalDetailKinds('Write to jo.bloggs@example.org about it')).toEqual(['email']);
  });

  it('finds UK and Polish phone numbers, not dates or counts', () => {
    expect(personalDetailKinds('ring 07700 900123 after six')).toEqual(['phone']);
    expect(personalDetailKinds('tel. +44 1536 400000')).toEqual(['phone']);
    expect(personalDetailKinds('zadzwoń 512 345 678')).toEqual(['phone']);
    expect(personalDetailKinds('numer +48 512-345-678')).toEqual(['phone']);
    expect(personalDetailKinds('since 12.03.2025 about 40 families, 1200 people')).toEqual([]);
  });

  it('finds UK postcodes', () => {
    expect(personalDetailKinds('near NN17 1AB')).toEqual(['postcode']);
    expect(personalDetailKinds('near nn171ab')).toEqual(['postcode']);
  });

  it('finds house numbers with a street word, flats, and Polish street hints', () => {
    expect(personalDetailKinds('at 12 Elizabeth Street the bins')).toEqual(['address']);
    expect(personalDetailKinds('3a Occupation Road')).toEqual(['address']);
    expect(personalDetailKinds('the family in flat 4')).toEqual(['address']);
    expect(personalDetailKinds('mieszkają na ul. Długa 5')).toEqual(['address']);
    expect(personalDetailKinds('przy ulica Polna')).toEqual(['address']);
    expect(personalDetailKinds('os. Słoneczne ma problem')).toEqual(['address']);
  });

  it('finds likely names (titles, "called", a given name with a surname) in English and Polish', () => {
    expect(personalDetailKinds('Mrs Campbell says the park floods')).toEqual(['name']);
    expect(personalDetailKinds('pani Nowak mówi, że')).toEqual(['name']);
    expect(personalDetailKinds('a boy called Jamie')).toEqual(['name']);
    expect(personalDetailKinds('dziecko o imieniu Kasia')).toEqual(['name']);
    expect(personalDetailKinds('Tomasz Wójcik told me')).toEqual(['name']);
  });

  it('leaves area-level observations alone', () => {
    const text = 'More Polish and Romanian families at the Kingswood stay-and-play since summer; the swings on the green have been broken for months. Around 30 families.';
    expect(findPersonalDetails(text)).toEqual([]);
    expect(findPersonalDetails('Nowe rodziny z Rumunii w okolicy, brak miejsc w przedszkolu.')).toEqual([]);
    expect(findPersonalDetails('')).toEqual([]);
  });

  it('says where each find is, in order', () => {
    const found = findPersonalDetails('Mrs Reid, 07700 900123');
    expect(found.map((f) => f.kind)).toEqual(['name', 'phone']);
    expect(found[1]?.text).toBe('07700 900123');
  });
});
