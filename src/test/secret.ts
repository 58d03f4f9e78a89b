/** The instance key of in-process tests (signs CSRF tokens, seals TOTP seeds and outbox bodies). */
export const TEST_SECRET = 'test-secret-0123456789-0123456789-0123456789';
