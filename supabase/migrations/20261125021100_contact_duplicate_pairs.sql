-- Duplicates across the whole CRM: the pairs of live contacts that are probably one person, for
-- an organizer to review and merge (the merge itself is the contact page's, merge_contacts_choosing).
-- The same signs as the contact page's finder (…009100_contact_duplicates), as exact keys so
-- that the whole CRM can be grouped at once: the same last ten phone digits, the same mailbox,
-- the same folded full name (first and last, accents and case folded). The older contact of a
-- pair comes first: it is the one a merge usually keeps.
--
-- Public functions (organizers and up; service_role counts as owner):
--   list_duplicate_pairs(p_limit, p_offset) -> pairs, strongest sign first
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.list_duplicate_pairs moved to 20261129060000_contact_duplicate_pairs_cost.sql (index-only grouping).
