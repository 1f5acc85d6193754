-- 019: the evaluation's measures kept by month (domain/measures.h). A run reads the pairs
-- (numerator, denominator) of 16 measures for every branch and month of three years;
-- computed from the ledgers each time that is a GROUP BY over millions of rows. Here a
-- month of a measure, every branch's pair of it, is kept once computed, as one row; a
-- change of a ledger record deletes the rows it can change (the measures that read that
-- ledger, in the months of its days before and after the change), so a row that is here is
-- what a fresh computation would give. Only months wholly in the past are kept (what is
-- due today still moves the others), and a row records the catalogue it was computed with
-- (a binary whose measures differ reads none of them). The rows are a cache: deleting any
-- or all of them changes no number. The triggers name the measures as measures.c does.
CREATE TABLE eval_pairs (
  month       TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  measure     TEXT NOT NULL,      -- its name in the catalogue
  catalogue   TEXT NOT NULL,      -- the measures' fingerprint (measures.c)
  data        BLOB NOT NULL,      -- per branch whose pair is not (0, 0): its id, num, den
  computed_at TEXT NOT NULL,
  PRIMARY KEY (month, measure)
) STRICT, WITHOUT ROWID;

-- meetings: their month for the four measures of meetings; for 三会一课 also the end of
-- the quarter and of the year (a rule's period counts in the month it ends: 月, 季度 or 年)
CREATE TRIGGER eval_pairs_activities_insert AFTER INSERT ON activities BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率', '主题党日次数', '党员学习次数', '关联业务组织生活占比') AND month IN (substr(NEW.held_on, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('三会一课完成率') AND month IN (substr(NEW.held_on, 1, 7), printf('%s-%02d', substr(NEW.held_on, 1, 4), (CAST(substr(NEW.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3),
    substr(NEW.held_on, 1, 4) || '-12');
END;
CREATE TRIGGER eval_pairs_activities_update AFTER UPDATE ON activities BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率', '主题党日次数', '党员学习次数', '关联业务组织生活占比') AND month IN (substr(NEW.held_on, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('三会一课完成率') AND month IN (substr(NEW.held_on, 1, 7), printf('%s-%02d', substr(NEW.held_on, 1, 4), (CAST(substr(NEW.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3),
    substr(NEW.held_on, 1, 4) || '-12');
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率', '主题党日次数', '党员学习次数', '关联业务组织生活占比') AND month IN (substr(OLD.held_on, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('三会一课完成率') AND month IN (substr(OLD.held_on, 1, 7), printf('%s-%02d', substr(OLD.held_on, 1, 4), (CAST(substr(OLD.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3),
    substr(OLD.held_on, 1, 4) || '-12');
END;
CREATE TRIGGER eval_pairs_activities_delete AFTER DELETE ON activities BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率', '主题党日次数', '党员学习次数', '关联业务组织生活占比') AND month IN (substr(OLD.held_on, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('三会一课完成率') AND month IN (substr(OLD.held_on, 1, 7), printf('%s-%02d', substr(OLD.held_on, 1, 4), (CAST(substr(OLD.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3),
    substr(OLD.held_on, 1, 4) || '-12');
END;
-- attendance and a meeting's links: the month of their meeting
CREATE TRIGGER eval_pairs_attendance_insert AFTER INSERT ON attendance BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率') AND month IN (SELECT substr(held_on, 1, 7) FROM activities WHERE id IN (NEW.activity_id));
END;
CREATE TRIGGER eval_pairs_attendance_update AFTER UPDATE ON attendance BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率') AND month IN (SELECT substr(held_on, 1, 7) FROM activities WHERE id IN (NEW.activity_id, OLD.activity_id));
END;
CREATE TRIGGER eval_pairs_attendance_delete AFTER DELETE ON attendance BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('党员出勤率') AND month IN (SELECT substr(held_on, 1, 7) FROM activities WHERE id IN (OLD.activity_id));
END;
CREATE TRIGGER eval_pairs_activity_items_insert AFTER INSERT ON activity_items BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('关联业务组织生活占比') AND month IN (SELECT substr(held_on, 1, 7) FROM activities WHERE id IN (NEW.activity_id));
END;
CREATE TRIGGER eval_pairs_activity_items_update AFTER UPDATE ON activity_items BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('关联业务组织生活占比') AND month IN (SELECT substr(held_on, 1, 7) FROM activities WHERE id IN (NEW.activity_id, OLD.activity_id));
END;
CREATE TRIGGER eval_pairs_activity_items_delete AFTER DELETE ON activity_items BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('关联业务组织生活占比') AND month IN (SELECT substr(held_on, 1, 7) FROM activities WHERE id IN (OLD.activity_id));
END;
-- cases: the month closed; a team member: the months of the case's closing and of its
-- reviews (both count for the branches of its team); a review: its month
CREATE TRIGGER eval_pairs_cases_insert AFTER INSERT ON cases BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (substr(NEW.closed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_cases_update AFTER UPDATE ON cases BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (substr(NEW.closed_on, 1, 7), substr(OLD.closed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_cases_delete AFTER DELETE ON cases BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (substr(OLD.closed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_case_members_insert AFTER INSERT ON case_members BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(closed_on, 1, 7) FROM cases WHERE id IN (NEW.case_id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(reviewed_on, 1, 7) FROM case_reviews WHERE case_id IN (NEW.case_id));
END;
CREATE TRIGGER eval_pairs_case_members_update AFTER UPDATE ON case_members BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(closed_on, 1, 7) FROM cases WHERE id IN (NEW.case_id, OLD.case_id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(reviewed_on, 1, 7) FROM case_reviews WHERE case_id IN (NEW.case_id, OLD.case_id));
END;
CREATE TRIGGER eval_pairs_case_members_delete AFTER DELETE ON case_members BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(closed_on, 1, 7) FROM cases WHERE id IN (OLD.case_id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(reviewed_on, 1, 7) FROM case_reviews WHERE case_id IN (OLD.case_id));
END;
CREATE TRIGGER eval_pairs_case_reviews_insert AFTER INSERT ON case_reviews BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (substr(NEW.reviewed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_case_reviews_update AFTER UPDATE ON case_reviews BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (substr(NEW.reviewed_on, 1, 7), substr(OLD.reviewed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_case_reviews_delete AFTER DELETE ON case_reviews BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (substr(OLD.reviewed_on, 1, 7));
END;
-- a member's branch on a day (their terms, else their branch now) places their cases and
-- reviews: a term or a member's branch changed, the months of every case and review of theirs
CREATE TRIGGER eval_pairs_member_terms_insert AFTER INSERT ON member_terms BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(c.closed_on, 1, 7) FROM case_members cm JOIN cases c ON c.id = cm.case_id
    WHERE cm.member_id IN (NEW.member_id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(r.reviewed_on, 1, 7) FROM case_members cm JOIN case_reviews r ON r.case_id = cm.case_id
    WHERE cm.member_id IN (NEW.member_id));
END;
CREATE TRIGGER eval_pairs_member_terms_update AFTER UPDATE ON member_terms BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(c.closed_on, 1, 7) FROM case_members cm JOIN cases c ON c.id = cm.case_id
    WHERE cm.member_id IN (NEW.member_id, OLD.member_id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(r.reviewed_on, 1, 7) FROM case_members cm JOIN case_reviews r ON r.case_id = cm.case_id
    WHERE cm.member_id IN (NEW.member_id, OLD.member_id));
END;
CREATE TRIGGER eval_pairs_member_terms_delete AFTER DELETE ON member_terms BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(c.closed_on, 1, 7) FROM case_members cm JOIN cases c ON c.id = cm.case_id
    WHERE cm.member_id IN (OLD.member_id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(r.reviewed_on, 1, 7) FROM case_members cm JOIN case_reviews r ON r.case_id = cm.case_id
    WHERE cm.member_id IN (OLD.member_id));
END;
CREATE TRIGGER eval_pairs_members_update AFTER UPDATE OF branch_id ON members
WHEN OLD.branch_id IS NOT NEW.branch_id BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(c.closed_on, 1, 7) FROM case_members cm JOIN cases c ON c.id = cm.case_id
    WHERE cm.member_id IN (NEW.id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(r.reviewed_on, 1, 7) FROM case_members cm JOIN case_reviews r ON r.case_id = cm.case_id
    WHERE cm.member_id IN (NEW.id));
END;
CREATE TRIGGER eval_pairs_members_delete AFTER DELETE ON members BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('办结案件数', '党员主办案件占比') AND month IN (SELECT substr(c.closed_on, 1, 7) FROM case_members cm JOIN cases c ON c.id = cm.case_id
    WHERE cm.member_id IN (OLD.id));
  DELETE FROM eval_pairs WHERE measure IN ('三必评平均分') AND month IN (SELECT substr(r.reviewed_on, 1, 7) FROM case_members cm JOIN case_reviews r ON r.case_id = cm.case_id
    WHERE cm.member_id IN (OLD.id));
END;
-- 12309: the months of the procedural deadline (及时率) and of receipt (办结率)
CREATE TRIGGER eval_pairs_requests_insert AFTER INSERT ON requests BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('12309程序性答复及时率') AND month IN (substr(NEW.procedural_due, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('12309办结率') AND month IN (substr(NEW.received_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_requests_update AFTER UPDATE ON requests BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('12309程序性答复及时率') AND month IN (substr(NEW.procedural_due, 1, 7), substr(OLD.procedural_due, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('12309办结率') AND month IN (substr(NEW.received_on, 1, 7), substr(OLD.received_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_requests_delete AFTER DELETE ON requests BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('12309程序性答复及时率') AND month IN (substr(OLD.procedural_due, 1, 7));
  DELETE FROM eval_pairs WHERE measure IN ('12309办结率') AND month IN (substr(OLD.received_on, 1, 7));
END;
-- public interest, outreach, method elements, joint-building outcomes: the month of their day
CREATE TRIGGER eval_pairs_pil_matters_insert AFTER INSERT ON pil_matters BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('公益诉讼立案数') AND month IN (substr(NEW.filed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_pil_matters_update AFTER UPDATE ON pil_matters BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('公益诉讼立案数') AND month IN (substr(NEW.filed_on, 1, 7), substr(OLD.filed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_pil_matters_delete AFTER DELETE ON pil_matters BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('公益诉讼立案数') AND month IN (substr(OLD.filed_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_outreach_insert AFTER INSERT ON outreach BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('普法宣传次数') AND month IN (substr(NEW.held_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_outreach_update AFTER UPDATE ON outreach BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('普法宣传次数') AND month IN (substr(NEW.held_on, 1, 7), substr(OLD.held_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_outreach_delete AFTER DELETE ON outreach BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('普法宣传次数') AND month IN (substr(OLD.held_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_element_checks_insert AFTER INSERT ON element_checks BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('工作法要素佐证率') AND month IN (substr(NEW.checked_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_element_checks_update AFTER UPDATE ON element_checks BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('工作法要素佐证率') AND month IN (substr(NEW.checked_on, 1, 7), substr(OLD.checked_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_element_checks_delete AFTER DELETE ON element_checks BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('工作法要素佐证率') AND month IN (substr(OLD.checked_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_project_outcomes_insert AFTER INSERT ON project_outcomes BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('共建成果数') AND month IN (substr(NEW.achieved_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_project_outcomes_update AFTER UPDATE ON project_outcomes BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('共建成果数') AND month IN (substr(NEW.achieved_on, 1, 7), substr(OLD.achieved_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_project_outcomes_delete AFTER DELETE ON project_outcomes BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('共建成果数') AND month IN (substr(OLD.achieved_on, 1, 7));
END;
-- evidence: the month of its check; a partner branch: the months of the project's outcomes
CREATE TRIGGER eval_pairs_element_evidence_insert AFTER INSERT ON element_evidence BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('工作法要素佐证率') AND month IN (SELECT substr(checked_on, 1, 7) FROM element_checks WHERE id IN (NEW.check_id));
END;
CREATE TRIGGER eval_pairs_element_evidence_update AFTER UPDATE ON element_evidence BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('工作法要素佐证率') AND month IN (SELECT substr(checked_on, 1, 7) FROM element_checks WHERE id IN (NEW.check_id, OLD.check_id));
END;
CREATE TRIGGER eval_pairs_element_evidence_delete AFTER DELETE ON element_evidence BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('工作法要素佐证率') AND month IN (SELECT substr(checked_on, 1, 7) FROM element_checks WHERE id IN (OLD.check_id));
END;
CREATE TRIGGER eval_pairs_project_parties_insert AFTER INSERT ON project_parties BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('共建成果数') AND month IN (SELECT substr(achieved_on, 1, 7) FROM project_outcomes WHERE project_id IN (NEW.project_id));
END;
CREATE TRIGGER eval_pairs_project_parties_update AFTER UPDATE ON project_parties BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('共建成果数') AND month IN (SELECT substr(achieved_on, 1, 7) FROM project_outcomes WHERE project_id IN (NEW.project_id, OLD.project_id));
END;
CREATE TRIGGER eval_pairs_project_parties_delete AFTER DELETE ON project_parties BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('共建成果数') AND month IN (SELECT substr(achieved_on, 1, 7) FROM project_outcomes WHERE project_id IN (OLD.project_id));
END;
-- 四同步: a stage counts in the later of its two days, one of the pair's eight
CREATE TRIGGER eval_pairs_sync_pairs_insert AFTER INSERT ON sync_pairs BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('四同步同步率') AND month IN (substr(NEW.business_plan_on, 1, 7), substr(NEW.business_deploy_on, 1, 7), substr(NEW.business_implement_on, 1, 7), substr(NEW.business_review_on, 1, 7),
    substr(NEW.party_plan_on, 1, 7), substr(NEW.party_deploy_on, 1, 7), substr(NEW.party_implement_on, 1, 7), substr(NEW.party_review_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_sync_pairs_update AFTER UPDATE ON sync_pairs BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('四同步同步率') AND month IN (substr(NEW.business_plan_on, 1, 7), substr(NEW.business_deploy_on, 1, 7), substr(NEW.business_implement_on, 1, 7), substr(NEW.business_review_on, 1, 7),
    substr(NEW.party_plan_on, 1, 7), substr(NEW.party_deploy_on, 1, 7), substr(NEW.party_implement_on, 1, 7), substr(NEW.party_review_on, 1, 7),
    substr(OLD.business_plan_on, 1, 7), substr(OLD.business_deploy_on, 1, 7), substr(OLD.business_implement_on, 1, 7), substr(OLD.business_review_on, 1, 7),
    substr(OLD.party_plan_on, 1, 7), substr(OLD.party_deploy_on, 1, 7), substr(OLD.party_implement_on, 1, 7), substr(OLD.party_review_on, 1, 7));
END;
CREATE TRIGGER eval_pairs_sync_pairs_delete AFTER DELETE ON sync_pairs BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('四同步同步率') AND month IN (substr(OLD.business_plan_on, 1, 7), substr(OLD.business_deploy_on, 1, 7), substr(OLD.business_implement_on, 1, 7), substr(OLD.business_review_on, 1, 7),
    substr(OLD.party_plan_on, 1, 7), substr(OLD.party_deploy_on, 1, 7), substr(OLD.party_implement_on, 1, 7), substr(OLD.party_review_on, 1, 7));
END;
-- honours: December of their year
CREATE TRIGGER eval_pairs_honours_insert AFTER INSERT ON honours BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('荣誉数') AND month IN (printf('%04d-12', NEW.year));
END;
CREATE TRIGGER eval_pairs_honours_update AFTER UPDATE ON honours BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('荣誉数') AND month IN (printf('%04d-12', NEW.year), printf('%04d-12', OLD.year));
END;
CREATE TRIGGER eval_pairs_honours_delete AFTER DELETE ON honours BEGIN
  DELETE FROM eval_pairs WHERE measure IN ('荣誉数') AND month IN (printf('%04d-12', OLD.year));
END;
-- what every month of a branch's 三会一课 rests on: which branches there are and of which
-- procuratorate (its level), their party groups (a rule per group), the rules themselves;
-- a branch deleted takes every measure of every month with it
CREATE TRIGGER eval_pairs_branches_insert AFTER INSERT ON branches BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_branches_update AFTER UPDATE OF procuratorate_id ON branches
WHEN OLD.procuratorate_id IS NOT NEW.procuratorate_id BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_branches_delete AFTER DELETE ON branches BEGIN DELETE FROM eval_pairs; END;
CREATE TRIGGER eval_pairs_procuratorates_update AFTER UPDATE OF level ON procuratorates
WHEN OLD.level IS NOT NEW.level BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_party_groups_insert AFTER INSERT ON party_groups BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_party_groups_update AFTER UPDATE OF branch_id, sort ON party_groups
WHEN OLD.branch_id IS NOT NEW.branch_id OR OLD.sort IS NOT NEW.sort BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_party_groups_delete AFTER DELETE ON party_groups BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_life_rules_insert AFTER INSERT ON life_rules BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_life_rules_update AFTER UPDATE ON life_rules BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;
CREATE TRIGGER eval_pairs_life_rules_delete AFTER DELETE ON life_rules BEGIN
  DELETE FROM eval_pairs WHERE measure = '三会一课完成率';
END;

-- A month computed afresh is a range of days in each ledger: the days the measures count by.
CREATE INDEX activities_held ON activities(held_on);
CREATE INDEX cases_closed ON cases(closed_on) WHERE closed_on IS NOT NULL;
CREATE INDEX case_reviews_reviewed ON case_reviews(reviewed_on);
CREATE INDEX requests_procedural_due ON requests(procedural_due);
CREATE INDEX requests_received ON requests(received_on);
CREATE INDEX pil_matters_filed ON pil_matters(filed_on) WHERE filed_on IS NOT NULL;
CREATE INDEX outreach_held ON outreach(held_on);
CREATE INDEX element_checks_checked ON element_checks(checked_on) WHERE checked_on IS NOT NULL;
CREATE INDEX project_outcomes_achieved ON project_outcomes(achieved_on);
