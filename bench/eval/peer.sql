-- bench/eval/peer.sql — the peer of `ronghe eval run --period 2025` with the default scheme
-- (docs/schemes/default.scheme), as plain SQL for the sqlite3 shell on the same database:
-- the 16 measures of every branch and procuratorate for 2025 (and 办结案件数 for 2024, its
-- 去年同期), each indicator's score by the scheme's rule, the dimensions, the groups, the
-- total and the fusion index, re-weighting what is 缺项 as the scheme says. The measures are
-- defined as docs/evaluation-measures.md defines them (src/domain/measures.c); the rules
-- and weights are the scheme's, written out here by hand. Not here: the twelve monthly
-- results behind 同频共振, the rankings and the honours (ronghe computes those too).
-- Output: one row per subject and number: kind|id|what|value, value with 10 decimals
-- (empty for 缺项); bench/eval/run compares it with what ronghe stored.
-- Parameters: the year (2025) is written in the two CTEs `yr` and `ago` below.
WITH
yr(f, t) AS (VALUES ('2025-01-01', '2026-01-01')),
ago(f, t) AS (VALUES ('2024-01-01', '2025-01-01')),
today(d) AS (VALUES (date('now', '+8 hours'))),
-- a member's branch on a day: their term's, else their branch now
team AS (
  SELECT DISTINCT c.id AS cid, c.closed_on AS day,
    coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on
              AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1),
             (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id)) AS br
  FROM cases c JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL, yr
  WHERE c.closed_on >= yr.f AND c.closed_on < yr.t),
team_ago AS (
  SELECT DISTINCT c.id AS cid,
    coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on
              AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1),
             (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id)) AS br
  FROM cases c JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL, ago
  WHERE c.closed_on >= ago.f AND c.closed_on < ago.t),
rb AS (
  SELECT DISTINCT r.id AS rid, r.score AS score,
    coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= r.reviewed_on
              AND (mt.to_date IS NULL OR mt.to_date > r.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1),
             (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id)) AS br
  FROM case_reviews r JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL, yr
  WHERE r.score IS NOT NULL AND r.reviewed_on >= yr.f AND r.reviewed_on < yr.t),
stages AS (
  SELECT branch_id, max(b, p) AS day, abs(julianday(b) - julianday(p)) <= tolerance_days AS ok FROM (
    SELECT branch_id, business_plan_on AS b, party_plan_on AS p, tolerance_days FROM sync_pairs UNION ALL
    SELECT branch_id, business_deploy_on, party_deploy_on, tolerance_days FROM sync_pairs UNION ALL
    SELECT branch_id, business_implement_on, party_implement_on, tolerance_days FROM sync_pairs UNION ALL
    SELECT branch_id, business_review_on, party_review_on, tolerance_days FROM sync_pairs)
  WHERE b IS NOT NULL AND p IS NOT NULL),
-- 三会一课: each kind's most specific rule for the branch (its own, else its procuratorate's,
-- else everyone's; one narrowed to its level before one that is not; the newest of equals),
-- each of the rule's periods of the year (月, 季度, 年: all over, for a past year) requiring
-- the count (per party group when the rule says so), met up to what it requires
rules AS (
  SELECT b.id AS br, r.id AS rule, r.kind, r.period, r.required_count AS cnt, r.per_party_group AS pg,
    CASE WHEN r.branch_id IS NOT NULL THEN (CASE WHEN r.branch_id = b.id THEN 8 ELSE -1 END)
         WHEN r.procuratorate_id IS NOT NULL AND r.procuratorate_id <> b.procuratorate_id THEN -1
         WHEN r.level IS NOT NULL AND r.level <> p.level THEN -1
         ELSE (r.procuratorate_id IS NOT NULL) * 4 + (r.level IS NOT NULL) END AS spec
  FROM branches b JOIN procuratorates p ON p.id = b.procuratorate_id, life_rules r
  WHERE r.kind IN ('支部党员大会', '支委会', '党小组会', '党课', '主题党日', '学习')),
pick AS (
  SELECT br, kind, period, cnt, pg FROM (
    SELECT *, row_number() OVER (PARTITION BY br, kind ORDER BY spec DESC, rule DESC) AS n FROM rules WHERE spec >= 0)
  WHERE n = 1),
months(m) AS (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)),
periods AS (
  SELECT DISTINCT pick.*, CASE period WHEN '月' THEN m WHEN '季度' THEN (m - 1) / 3 * 3 + 1 ELSE 1 END AS a,
                  CASE period WHEN '月' THEN m WHEN '季度' THEN (m - 1) / 3 * 3 + 3 ELSE 12 END AS z
  FROM pick, months WHERE period IN ('月', '季度', '年')),
held AS MATERIALIZED (
  SELECT v.branch_id AS br, v.kind, CAST(substr(v.held_on, 6, 2) AS INTEGER) AS m, v.party_group_id AS g
  FROM activities v, yr WHERE v.held_on >= yr.f AND v.held_on <= substr(yr.f, 1, 4) || '-12-31'),
slots AS MATERIALIZED (
  SELECT p.br, p.kind, p.a, p.z, p.cnt, g.id AS g FROM periods p JOIN party_groups g ON g.branch_id = p.br WHERE p.pg
  UNION ALL SELECT p.br, p.kind, p.a, p.z, p.cnt, NULL FROM periods p WHERE NOT p.pg),
life AS (
  SELECT br, sum(cnt) AS den, sum(min(n, cnt)) AS num FROM (
    SELECT s.br, s.kind, s.a, s.g, s.cnt, count(h.br) AS n FROM slots s
    LEFT JOIN held h ON h.br = s.br AND h.kind = s.kind AND h.m BETWEEN s.a AND s.z AND (s.g IS NULL OR h.g = s.g)
    GROUP BY s.br, s.kind, s.a, s.g)
  GROUP BY br),
-- every measure's (numerator, denominator) per branch: measure numbers as in the catalogue
pairs(br, m, num, den) AS (
  SELECT br, 0, num, den FROM life UNION ALL
  SELECT a.branch_id, 1, sum(a.status = '出席'), count(*) FROM attendance a JOIN activities v ON v.id = a.activity_id, yr
    WHERE v.held_on >= yr.f AND v.held_on < yr.t GROUP BY 1 UNION ALL
  SELECT branch_id, 2, count(*), 0 FROM activities, yr WHERE kind = '主题党日' AND held_on >= yr.f AND held_on < yr.t GROUP BY 1 UNION ALL
  SELECT branch_id, 3, count(*), 0 FROM activities, yr WHERE kind = '学习' AND held_on >= yr.f AND held_on < yr.t GROUP BY 1 UNION ALL
  SELECT coalesce(h.branch_id, (SELECT m.branch_id FROM members m WHERE m.id = h.member_id)), 4, count(*), 0
    FROM honours h, yr WHERE printf('%04d-12-31', h.year) >= yr.f AND printf('%04d-12-31', h.year) < yr.t GROUP BY 1 UNION ALL
  SELECT br, 5, count(*), 0 FROM team WHERE br IS NOT NULL GROUP BY 1 UNION ALL
  SELECT br, 6, sum(score), count(*) FROM rb WHERE br IS NOT NULL GROUP BY 1 UNION ALL
  SELECT branch_id, 7, sum(replied_on IS NOT NULL AND replied_on <= procedural_due), count(*) FROM requests, yr, today
    WHERE procedural_due >= yr.f AND procedural_due < yr.t AND (replied_on IS NOT NULL OR procedural_due < today.d) GROUP BY 1 UNION ALL
  SELECT branch_id, 8, sum(closed_on IS NOT NULL), count(*) FROM requests, yr WHERE received_on >= yr.f AND received_on < yr.t GROUP BY 1 UNION ALL
  SELECT branch_id, 9, count(*), 0 FROM pil_matters, yr WHERE filed_on >= yr.f AND filed_on < yr.t GROUP BY 1 UNION ALL
  SELECT branch_id, 10, count(*), 0 FROM outreach, yr WHERE held_on >= yr.f AND held_on < yr.t GROUP BY 1 UNION ALL
  SELECT br, 11, sum(EXISTS (SELECT 1 FROM case_members l WHERE l.case_id = team.cid AND l.role = '主办检察官' AND l.member_id IS NOT NULL)),
    count(*) FROM team WHERE br IS NOT NULL AND EXISTS (SELECT 1 FROM case_members l WHERE l.case_id = team.cid AND l.role = '主办检察官')
    GROUP BY 1 UNION ALL
  SELECT v.branch_id, 12, sum(EXISTS (SELECT 1 FROM activity_items i WHERE i.activity_id = v.id)), count(*) FROM activities v, yr
    WHERE v.held_on >= yr.f AND v.held_on < yr.t GROUP BY 1 UNION ALL
  SELECT branch_id, 13, sum(ok), count(*) FROM stages, yr WHERE day >= yr.f AND day < yr.t GROUP BY 1 UNION ALL
  SELECT c.branch_id, 14, sum(EXISTS (SELECT 1 FROM element_evidence e WHERE e.check_id = c.id)), count(*) FROM element_checks c, yr
    WHERE c.checked_on >= yr.f AND c.checked_on < yr.t GROUP BY 1 UNION ALL
  SELECT br, 15, count(*), 0 FROM (SELECT o.id, o.achieved_on AS day, o.branch_id AS br FROM project_outcomes o
    UNION SELECT o.id, o.achieved_on, pp.party_branch_id FROM project_outcomes o JOIN project_parties pp ON pp.project_id = o.project_id
    WHERE pp.party_branch_id IS NOT NULL), yr WHERE day >= yr.f AND day < yr.t GROUP BY 1 UNION ALL
  SELECT br, 16, count(*), 0 FROM team_ago WHERE br IS NOT NULL GROUP BY 1),   -- 16: 办结案件数, 去年同期
-- subjects: every branch, every procuratorate (its branches' pairs summed)
subjects(kind, id, br) AS (
  SELECT 'branch', id, id FROM branches UNION ALL SELECT 'procuratorate', procuratorate_id, id FROM branches),
ms(m, rate) AS (VALUES (0, 1), (1, 1), (2, 0), (3, 0), (4, 0), (5, 0), (6, 1), (7, 1), (8, 1), (9, 0), (10, 0), (11, 1),
  (12, 1), (13, 1), (14, 1), (15, 0), (16, 0)),
sp AS (
  SELECT s.kind, s.id, ms.m, ms.rate, coalesce(sum(p.num), 0) AS num, coalesce(sum(p.den), 0) AS den
  FROM subjects s CROSS JOIN ms LEFT JOIN pairs p ON p.br = s.br AND p.m = ms.m GROUP BY s.kind, s.id, ms.m),
-- a measure's value: a count its numerator; a rate or mean Σ num / Σ den, 缺项 (NULL) without a denominator
val AS (
  SELECT kind, id, m, CASE WHEN rate = 0 THEN num WHEN den = 0 THEN NULL ELSE 1.0 * num / den END AS v FROM sp),
v AS (
  SELECT kind, id,
    max(CASE m WHEN 0 THEN v END) AS v0, max(CASE m WHEN 1 THEN v END) AS v1, max(CASE m WHEN 2 THEN v END) AS v2,
    max(CASE m WHEN 3 THEN v END) AS v3, max(CASE m WHEN 4 THEN v END) AS v4, max(CASE m WHEN 5 THEN v END) AS v5,
    max(CASE m WHEN 6 THEN v END) AS v6, max(CASE m WHEN 7 THEN v END) AS v7, max(CASE m WHEN 8 THEN v END) AS v8,
    max(CASE m WHEN 9 THEN v END) AS v9, max(CASE m WHEN 10 THEN v END) AS v10, max(CASE m WHEN 11 THEN v END) AS v11,
    max(CASE m WHEN 12 THEN v END) AS v12, max(CASE m WHEN 13 THEN v END) AS v13, max(CASE m WHEN 14 THEN v END) AS v14,
    max(CASE m WHEN 15 THEN v END) AS v15, max(CASE m WHEN 16 THEN v END) AS v16
  FROM val GROUP BY kind, id),
-- the scheme's rules: 线性(x, lo, hi) 0 at lo, 100 at hi; 阈值; 目标(x, t) 100·x/t up to 100 (100 when x ≥ t);
-- 缺项时(x, 80); 60 + 加分(x, 10, 40); every score within 0..100; NULL is 缺项 (the divisions below
-- are of reals: 0.0 + … keeps SQLite from dividing integers)
sc AS (
  SELECT kind, id, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16,
    CASE WHEN v0 IS NULL THEN NULL WHEN v0 <= 0.6 THEN 0 WHEN v0 >= 1.0 THEN 100 ELSE 100 * (v0 - 0.6) / (1.0 - 0.6) END AS s_life,
    CASE WHEN v1 IS NULL THEN NULL WHEN v1 >= 0.95 THEN 100 WHEN v1 >= 0.9 THEN 80 WHEN v1 >= 0.8 THEN 60 ELSE 0 END AS s_att,
    CASE WHEN v2 >= 12 THEN 100 ELSE max(100.0 * v2 / 12, 0) END AS s_day,
    CASE WHEN v3 >= 24 THEN 100 ELSE max(100.0 * v3 / 24, 0) END AS s_study,
    NULL AS s_review,
    CASE WHEN v5 >= v16 THEN 100 WHEN v16 = 0 THEN 80 ELSE max(100.0 * v5 / v16, 0) END AS s_cases,
    CASE WHEN v6 IS NULL THEN NULL WHEN v6 <= 60 THEN 0 WHEN v6 >= 95 THEN 100 ELSE 100 * (v6 - 60) / (95 - 60) END AS s_3,
    CASE WHEN v7 IS NULL THEN NULL WHEN v7 <= 0.9 THEN 0 WHEN v7 >= 1.0 THEN 100 ELSE 100 * (v7 - 0.9) / (1.0 - 0.9) END AS s_due,
    CASE WHEN v8 IS NULL THEN NULL WHEN v8 <= 0.8 THEN 0 WHEN v8 >= 1.0 THEN 100 ELSE 100 * (v8 - 0.8) / (1.0 - 0.8) END AS s_closed,
    CASE WHEN v9 >= 10 THEN 100 ELSE max(100.0 * v9 / 10, 0) END AS s_pil,
    CASE WHEN v10 >= 12 THEN 100 ELSE max(100.0 * v10 / 12, 0) END AS s_out,
    CASE WHEN v14 IS NULL THEN NULL WHEN v14 <= 0.5 THEN 0 WHEN v14 >= 1.0 THEN 100 ELSE 100 * (v14 - 0.5) / (1.0 - 0.5) END AS s_elem,
    min(max(60 + min(v4 * 10, 40), 0), 100) AS s_hon,
    CASE WHEN v15 >= 4 THEN 100 ELSE max(100.0 * v15 / 4, 0) END AS s_joint,
    CASE WHEN v11 IS NULL THEN NULL WHEN v11 <= 0.3 THEN 0 WHEN v11 >= 0.8 THEN 100 ELSE 100 * (v11 - 0.3) / (0.8 - 0.3) END AS s_lead,
    CASE WHEN v12 IS NULL THEN NULL WHEN v12 <= 0.2 THEN 0 WHEN v12 >= 0.6 THEN 100 ELSE 100 * (v12 - 0.2) / (0.6 - 0.2) END AS s_linked,
    CASE WHEN v13 IS NULL THEN NULL WHEN v13 <= 0.6 THEN 0 WHEN v13 >= 1.0 THEN 100 ELSE 100 * (v13 - 0.6) / (1.0 - 0.6) END AS s_sync
  FROM v),
-- a dimension: Σ w·s / Σ w over its indicators that are not 缺项
dim AS (
  SELECT *,
    (coalesce(30 * s_life, 0) + coalesce(25 * s_att, 0) + 20 * s_day + 15 * s_study)
      / (30 * (s_life IS NOT NULL) + 25 * (s_att IS NOT NULL) + 20 + 15) AS d_pol,
    (20 * s_cases + coalesce(25 * s_3, 0) + coalesce(20 * s_due, 0) + coalesce(15 * s_closed, 0) + 10 * s_pil + 10 * s_out)
      / (20 + 25 * (s_3 IS NOT NULL) + 20 * (s_due IS NOT NULL) + 15 * (s_closed IS NOT NULL) + 10 + 10) AS d_bus,
    (coalesce(50 * s_elem, 0) + 30 * s_hon + 20 * s_joint) / (0.0 + 50 * (s_elem IS NOT NULL) + 30 + 20) AS d_inn,
    CASE WHEN s_lead IS NULL AND s_linked IS NULL AND s_sync IS NULL THEN NULL ELSE
      (coalesce(40 * s_lead, 0) + coalesce(30 * s_linked, 0) + coalesce(30 * s_sync, 0))
      / (40 * (s_lead IS NOT NULL) + 30 * (s_linked IS NOT NULL) + 30 * (s_sync IS NOT NULL)) END AS d_col
  FROM sc),
-- the total: Σ W·D / Σ W over the dimensions that are not 缺项; the groups 党建 (政治), 业务 (业务),
-- 融合 (创新, 协作); the fusion index 0.25·党建 + 0.25·业务 + 0.5·融合
tot AS (
  SELECT *, (30 * d_pol + 30 * d_bus + 20 * d_inn + coalesce(20 * d_col, 0)) / (0.0 + 80 + 20 * (d_col IS NOT NULL)) AS total,
    (20 * d_inn + coalesce(20 * d_col, 0)) / (0.0 + 20 + 20 * (d_col IS NOT NULL)) AS g_fus
  FROM dim)
SELECT kind, id, what, CASE WHEN x IS NULL THEN '' ELSE printf('%.10f', x) END FROM (
  SELECT kind, id, 'm:三会一课完成率' AS what, v0 AS x FROM tot UNION ALL
  SELECT kind, id, 'm:党员出勤率', v1 FROM tot UNION ALL SELECT kind, id, 'm:主题党日次数', v2 FROM tot UNION ALL
  SELECT kind, id, 'm:党员学习次数', v3 FROM tot UNION ALL SELECT kind, id, 'm:荣誉数', v4 FROM tot UNION ALL
  SELECT kind, id, 'm:办结案件数', v5 FROM tot UNION ALL SELECT kind, id, 'm:三必评平均分', v6 FROM tot UNION ALL
  SELECT kind, id, 'm:12309程序性答复及时率', v7 FROM tot UNION ALL SELECT kind, id, 'm:12309办结率', v8 FROM tot UNION ALL
  SELECT kind, id, 'm:公益诉讼立案数', v9 FROM tot UNION ALL SELECT kind, id, 'm:普法宣传次数', v10 FROM tot UNION ALL
  SELECT kind, id, 'm:党员主办案件占比', v11 FROM tot UNION ALL SELECT kind, id, 'm:关联业务组织生活占比', v12 FROM tot UNION ALL
  SELECT kind, id, 'm:四同步同步率', v13 FROM tot UNION ALL SELECT kind, id, 'm:工作法要素佐证率', v14 FROM tot UNION ALL
  SELECT kind, id, 'm:共建成果数', v15 FROM tot UNION ALL
  SELECT kind, id, 's:三会一课完成率', s_life FROM tot UNION ALL SELECT kind, id, 's:党员出勤率', s_att FROM tot UNION ALL
  SELECT kind, id, 's:主题党日次数', s_day FROM tot UNION ALL SELECT kind, id, 's:党员学习次数', s_study FROM tot UNION ALL
  SELECT kind, id, 's:述职评议', s_review FROM tot UNION ALL
  SELECT kind, id, 's:办结案件数', s_cases FROM tot UNION ALL SELECT kind, id, 's:三必评平均分', s_3 FROM tot UNION ALL
  SELECT kind, id, 's:12309程序性答复及时率', s_due FROM tot UNION ALL SELECT kind, id, 's:12309办结率', s_closed FROM tot UNION ALL
  SELECT kind, id, 's:公益诉讼立案数', s_pil FROM tot UNION ALL SELECT kind, id, 's:普法宣传次数', s_out FROM tot UNION ALL
  SELECT kind, id, 's:工作法要素佐证率', s_elem FROM tot UNION ALL SELECT kind, id, 's:荣誉数', s_hon FROM tot UNION ALL
  SELECT kind, id, 's:共建成果数', s_joint FROM tot UNION ALL SELECT kind, id, 's:党员主办案件占比', s_lead FROM tot UNION ALL
  SELECT kind, id, 's:关联业务组织生活占比', s_linked FROM tot UNION ALL SELECT kind, id, 's:四同步同步率', s_sync FROM tot UNION ALL
  SELECT kind, id, 'd:政治', d_pol FROM tot UNION ALL SELECT kind, id, 'd:业务', d_bus FROM tot UNION ALL
  SELECT kind, id, 'd:创新', d_inn FROM tot UNION ALL SELECT kind, id, 'd:协作', d_col FROM tot UNION ALL
  SELECT kind, id, 'total', total FROM tot UNION ALL
  SELECT kind, id, 'fusion', 0.25 * d_pol + 0.25 * d_bus + 0.5 * g_fus FROM tot)
ORDER BY kind, id, what;
