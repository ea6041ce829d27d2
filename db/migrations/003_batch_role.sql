-- Role 'batch': scores computed by the batch state machine (Step Functions, `lambda/batch.ts`) for
-- a caller's offline job, not a reply a user saw and not a candidate model's shadow. Recorded like
-- the others so that monitoring can tell online from batch.
--
-- Written the same way as the results issue's own migration for this role, so that either order
-- of the two applies cleanly (the constraint is dropped if present and re-added with the same
-- definition).

ALTER TABLE results DROP CONSTRAINT IF EXISTS results_role_check;
ALTER TABLE results ADD CONSTRAINT results_role_check CHECK (role IN ('live', 'shadow', 'batch'));
