import type { Qualification, QualificationKind } from './schema.ts';

/**
 * An Open Badges 3.0 `OpenBadgeCredential` (JSON-LD) for the holder to keep or import. UNSIGNED: it
 * carries no proof (no key management yet), so a verifier must use the check page it links to.
 */
export function openBadgeCredential(input: { award: Qualification; kind: QualificationKind; baseUrl: string; tenantName: string; holderName: string; locale: string }) {
  const { award, kind, baseUrl } = input;
  const title = input.locale === 'pl' && kind.titlePl ? kind.titlePl : kind.title;
  const description = input.locale === 'pl' && kind.descriptionPl ? kind.descriptionPl : kind.description;
  const checkUrl = `${baseUrl}/certificates/${award.code}`;
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: checkUrl,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: title,
    issuer: { id: baseUrl, type: ['Profile'], name: input.tenantName, url: baseUrl },
    validFrom: `${award.issuedOn}T00:00:00Z`,
    ...(award.expiresOn ? { validUntil: `${award.expiresOn}T23:59:59Z` } : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.holderName }],
      achievement: {
        id: `${baseUrl}/achievements/${kind.key}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: title,
        description: description || title,
        criteria: { narrative: description || title },
      },
    },
  };
}
