-- Commissioning (issue 13, SECURITY.md 23): sealed ballots go into a round's ballot box only while
-- the round is open for voting, as comm_ballots' own trigger (0016) does for ballots in clear.
CREATE OR REPLACE FUNCTION comm_ballot_box_voting_only() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM comm_rounds r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.round_id AND r.phase = 'voting') THEN
    RAISE EXCEPTION 'comm_ballot_box: the round is not open for voting' USING ERRCODE = 'check_violation', CONSTRAINT = 'comm_ballot_box_voting_only';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER comm_ballot_box_voting BEFORE INSERT OR UPDATE ON comm_ballot_box
  FOR EACH ROW EXECUTE FUNCTION comm_ballot_box_voting_only();
