-- 013: indexes the timelines need once the ledgers are long (bench/ledgers: a branch's two
-- years at 100 times the demo). A branch's cases are found from its members' side
-- (case_members by member, cases.c CASE_IN_BRANCH): covering, so that no team row is read;
-- a request's 办结 is ordered by its own date.
CREATE INDEX case_members_member_case ON case_members(member_id, case_id);
CREATE INDEX requests_branch_closed ON requests(branch_id, closed_on);
