-- Commissioning (issue 13, SECURITY.md 23): a budget round's ballot rules are frozen once voting
-- opens. The database refuses unfreezing, any change to the rules of a frozen round, changes to
-- its proposals' costs or eligibility, and ballots outside the voting phase.
CREATE OR REPLACE FUNCTION comm_rounds_frozen_rules() RETURNS trigger AS $$
BEGIN
  IF OLD.frozen AND (NOT NEW.frozen
      OR NEW.budget_pence IS DISTINCT FROM OLD.budget_pence
      OR NEW.pot_id IS DISTINCT FROM OLD.pot_id
      OR NEW.ward_id IS DISTINCT FROM OLD.ward_id
      OR NEW.ballot_type IS DISTINCT FROM OLD.ballot_type
      OR NEW.max_choices IS DISTINCT FROM OLD.max_choices
      OR NEW.total_points IS DISTINCT FROM OLD.total_points
      OR NEW.rule IS DISTINCT FROM OLD.rule
      OR NEW.completion IS DISTINCT FROM OLD.completion) THEN
    RAISE EXCEPTION 'comm_rounds: the ballot rules are frozen once voting opens' USING ERRCODE = 'check_violation', CONSTRAINT = 'comm_rounds_rules_frozen';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER comm_rounds_frozen BEFORE UPDATE ON comm_rounds
  FOR EACH ROW EXECUTE FUNCTION comm_rounds_frozen_rules();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION comm_proposals_frozen_rules() RETURNS trigger AS $$
BEGIN
  IF (TG_OP = 'INSERT' OR NEW.round_id IS DISTINCT FROM OLD.round_id OR NEW.cost_pence IS DISTINCT FROM OLD.cost_pence OR NEW.eligibility IS DISTINCT FROM OLD.eligibility)
     AND EXISTS (SELECT 1 FROM comm_rounds r WHERE r.tenant_id = NEW.tenant_id AND r.frozen
                 AND (r.id = NEW.round_id OR (TG_OP = 'UPDATE' AND r.id = OLD.round_id))) THEN
    RAISE EXCEPTION 'comm_proposals: the proposals of a round are frozen once voting opens' USING ERRCODE = 'check_violation', CONSTRAINT = 'comm_rounds_rules_frozen';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER comm_proposals_frozen BEFORE INSERT OR UPDATE ON comm_proposals
  FOR EACH ROW EXECUTE FUNCTION comm_proposals_frozen_rules();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION comm_ballots_voting_only() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM comm_rounds r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.round_id AND r.phase = 'voting') THEN
    RAISE EXCEPTION 'comm_ballots: the round is not open for voting' USING ERRCODE = 'check_violation', CONSTRAINT = 'comm_ballots_voting_only';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER comm_ballots_voting BEFORE INSERT OR UPDATE ON comm_ballots
  FOR EACH ROW EXECUTE FUNCTION comm_ballots_voting_only();
