import type { Catalogue } from '../../db/privacy.ts';

const BOOKING_RETENTION = 'while the person is a member (history of past sessions kept for the ladder); deleted on erasure';

/**
 * Privacy tags of the training module's tables (SECURITY.md 13). Retention: bookings and the
 * attendance register are kept while the person is a member (they show training completed, which
 * the ladder and accreditation read); erasure deletes the member's bookings and attendance and
 * clears them as a session's trainer (personal-data.ts). Courses and sessions hold no personal data
 * beyond the trainer reference.
 */
export const trainingData = {
  training_courses: {
    personal: {},
    other: ['tenant_id', 'id', 'key', 'title', 'title_pl', 'description', 'description_pl', 'duration_minutes', 'active', 'created_at'],
  },
  training_sessions: {
    personal: {
      trainer_id: { purpose: 'say who runs a training session and let them keep its register', lawfulBasis: 'legitimate interests', retention: 'while the session is listed; cleared on the trainer\u2019s erasure' },
    },
    other: ['tenant_id', 'id', 'course_id', 'starts_at', 'ends_at', 'venue', 'ward_id', 'capacity', 'status', 'sequence', 'is_demo', 'created_at', 'updated_at'],
  },
  training_bookings: {
    personal: {
      member_id: { purpose: 'hold a member\u2019s place (or waiting-list position) on a training session', lawfulBasis: 'contract', retention: BOOKING_RETENTION },
    },
    other: ['tenant_id', 'id', 'session_id', 'status', 'queued_at', 'is_demo'],
  },
  training_attendance: {
    personal: {
      member_id: { purpose: 'record training completed, for accreditation and the ladder of participation', lawfulBasis: 'contract', retention: BOOKING_RETENTION },
      present: { purpose: 'record training completed, for accreditation and the ladder of participation', lawfulBasis: 'contract', retention: BOOKING_RETENTION },
    },
    other: ['tenant_id', 'session_id', 'course_id', 'session_date', 'marked_by', 'marked_at', 'is_demo'],
  },
} satisfies Catalogue;
