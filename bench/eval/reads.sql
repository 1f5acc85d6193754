-- bench/eval/reads.sql — the rows a cold `ronghe eval run --period 2025` of the default scheme
-- reads from the ledgers to compute its months: each measure's months query as
-- src/domain/measures.c's catalogue (months_sql) has it, over the months the run computes
-- (2025; 2024 too for 办结案件数, the measure the scheme compares with 去年同期). Not here,
-- so what this costs is less than the run's reading: 三会一课完成率 (its meetings, party groups
-- and rules), the members' terms, the kept months and the subjects. bench/eval/reads.c steps
-- every row and reads every column through SQLite's C API, doing nothing with them: no run
-- that reads these rows through SQLite can take less CPU. A measure's query changed in
-- measures.c is to be changed here too: bench/eval/run stops while one is not the binary's.
-- 党员出勤率
SELECT a.activity_id, a.branch_id, a.status = '出席', 1 FROM attendance a WHERE a.activity_id IN (SELECT id FROM activities WHERE held_on >= '2025-01-01' AND held_on < '2026-01-01');
-- 三必评平均分
SELECT r.id, cm.member_id, r.reviewed_on, r.score, 1 FROM case_reviews r JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL WHERE r.score IS NOT NULL AND r.reviewed_on >= '2025-01-01' AND r.reviewed_on < '2026-01-01' ORDER BY r.id;
-- 党员主办案件占比
SELECT c.id, cm.member_id, c.closed_on, cm.role = '主办检察官' FROM cases c CROSS JOIN case_members cm ON cm.case_id = c.id WHERE c.closed_on >= '2025-01-01' AND c.closed_on < '2026-01-01' ORDER BY c.closed_on, c.id;
-- 办结案件数
SELECT c.id, cm.member_id, c.closed_on, 1, 0 FROM cases c CROSS JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.closed_on >= '2024-01-01' AND c.closed_on < '2026-01-01' ORDER BY c.closed_on, c.id;
-- 关联业务组织生活占比
SELECT v.branch_id, v.held_on, EXISTS (SELECT 1 FROM activity_items i WHERE i.activity_id = v.id), 1 FROM activities v WHERE v.held_on >= '2025-01-01' AND v.held_on < '2026-01-01';
-- 工作法要素佐证率
SELECT c.branch_id, c.checked_on, EXISTS (SELECT 1 FROM element_evidence e WHERE e.check_id = c.id), 1 FROM element_checks c WHERE c.checked_on >= '2025-01-01' AND c.checked_on < '2026-01-01';
-- 主题党日次数
SELECT branch_id, held_on, 1, 0 FROM activities WHERE kind = '主题党日' AND held_on >= '2025-01-01' AND held_on < '2026-01-01';
-- 党员学习次数
SELECT branch_id, held_on, 1, 0 FROM activities WHERE kind = '学习' AND held_on >= '2025-01-01' AND held_on < '2026-01-01';
-- 荣誉数
SELECT br, substr(day, 1, 7), count(*), 0 FROM (SELECT h.id, h.title, printf('%04d-12-31', h.year) AS day, coalesce(h.branch_id, (SELECT m.branch_id FROM members m WHERE m.id = h.member_id)) AS br FROM honours h) WHERE day >= '2025-01-01' AND day < '2026-01-01' AND br IS NOT NULL GROUP BY 1, 2;
-- 12309程序性答复及时率
SELECT branch_id, procedural_due, replied_on IS NOT NULL AND replied_on <= procedural_due, 1 FROM requests WHERE procedural_due >= '2025-01-01' AND procedural_due < '2026-01-01' AND (replied_on IS NOT NULL OR procedural_due < date('now', '+8 hours'));
-- 12309办结率
SELECT branch_id, received_on, closed_on IS NOT NULL, 1 FROM requests WHERE received_on >= '2025-01-01' AND received_on < '2026-01-01';
-- 公益诉讼立案数
SELECT branch_id, filed_on, 1, 0 FROM pil_matters WHERE filed_on >= '2025-01-01' AND filed_on < '2026-01-01';
-- 普法宣传次数
SELECT branch_id, held_on, 1, 0 FROM outreach WHERE held_on >= '2025-01-01' AND held_on < '2026-01-01';
-- 四同步同步率
SELECT branch_id, substr(day, 1, 7), sum(ok), count(*) FROM (SELECT id, branch_id, business_title AS title, max(b, p) AS day, abs(julianday(b) - julianday(p)) <= tolerance_days AS ok FROM (SELECT id, branch_id, business_title, business_plan_on AS b, party_plan_on AS p, tolerance_days FROM sync_pairs UNION ALL SELECT id, branch_id, business_title, business_deploy_on, party_deploy_on, tolerance_days FROM sync_pairs UNION ALL SELECT id, branch_id, business_title, business_implement_on, party_implement_on, tolerance_days FROM sync_pairs UNION ALL SELECT id, branch_id, business_title, business_review_on, party_review_on, tolerance_days FROM sync_pairs) WHERE b IS NOT NULL AND p IS NOT NULL) WHERE day >= '2025-01-01' AND day < '2026-01-01' GROUP BY 1, 2;
-- 共建成果数
SELECT br, substr(day, 1, 7), count(*), 0 FROM (SELECT o.id, o.title, o.achieved_on AS day, o.branch_id AS br FROM project_outcomes o UNION SELECT o.id, o.title, o.achieved_on, pp.party_branch_id FROM project_outcomes o JOIN project_parties pp ON pp.project_id = o.project_id WHERE pp.party_branch_id IS NOT NULL) WHERE day >= '2025-01-01' AND day < '2026-01-01' GROUP BY 1, 2;
