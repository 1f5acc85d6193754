-- 023: a change of a branch's record marks that branch's month as changed instead of
-- throwing away every branch's month. 019 keeps a month of a measure as one row for all
-- 1,500 branches of a province; a meeting added, three attendance rows corrected or a 12309
-- reply dated deleted that row, and the next run computed the month again from the ledgers
-- for every branch (a month of attendance is ~100,000 rows; 三会一课 a year of every
-- branch's completeness), ~1.5 s of a run that otherwise takes 0.7 s.
--
-- Now the ledgers that name their branch on the row (meetings, attendance, a meeting's
-- links, 12309, public interest, outreach, method elements and their evidence), and cases
-- with their teams and 三必评 reviews (the branches of the team's members on the day, as
-- measures.c places a case), insert (month, measure, branch) into eval_pairs_dirty, where
-- the month is kept; the run reads
-- the kept row, computes those branches of it again from the ledgers (the records a value
-- lists, domain/measures.c) and writes the row back whole, deleting its marks. The kept
-- invariant becomes: a row of eval_pairs, its branches marked here recomputed, is what a
-- fresh computation gives. A mark whose month is not kept is never made (the SELECT from
-- eval_pairs by its key finds nothing) and one left behind when its row is deleted is
-- deleted when the row is written again. The rest (a case made or deleted, members'
-- terms and moves, 四同步, honours, joint building, branches, party groups, rules) still
-- delete the month, as 019 and 020 made them: they are written rarely, or change many
-- branches at once.
CREATE TABLE eval_pairs_dirty (
  month     TEXT NOT NULL,
  measure   TEXT NOT NULL,
  branch_id INTEGER NOT NULL,
  PRIMARY KEY (month, measure, branch_id)
) STRICT, WITHOUT ROWID;

DROP TRIGGER eval_pairs_activities_insert;
CREATE TRIGGER eval_pairs_activities_insert AFTER INSERT ON activities BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '党员出勤率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '主题党日次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '党员学习次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '关联业务组织生活占比';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = printf('%s-%02d', substr(NEW.held_on, 1, 4), (CAST(substr(NEW.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 4) || '-12' AND measure = '三会一课完成率';
END;
DROP TRIGGER eval_pairs_activities_update;
CREATE TRIGGER eval_pairs_activities_update AFTER UPDATE ON activities BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '党员出勤率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '主题党日次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '党员学习次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '关联业务组织生活占比';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = printf('%s-%02d', substr(NEW.held_on, 1, 4), (CAST(substr(NEW.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 4) || '-12' AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '党员出勤率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '主题党日次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '党员学习次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '关联业务组织生活占比';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = printf('%s-%02d', substr(OLD.held_on, 1, 4), (CAST(substr(OLD.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 4) || '-12' AND measure = '三会一课完成率';
END;
DROP TRIGGER eval_pairs_activities_delete;
CREATE TRIGGER eval_pairs_activities_delete AFTER DELETE ON activities BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '党员出勤率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '主题党日次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '党员学习次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '关联业务组织生活占比';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = printf('%s-%02d', substr(OLD.held_on, 1, 4), (CAST(substr(OLD.held_on, 6, 2) AS INTEGER) + 2) / 3 * 3) AND measure = '三会一课完成率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 4) || '-12' AND measure = '三会一课完成率';
END;
DROP TRIGGER eval_pairs_attendance_insert;
CREATE TRIGGER eval_pairs_attendance_insert AFTER INSERT ON attendance BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = (SELECT substr(held_on, 1, 7) FROM activities WHERE id = NEW.activity_id) AND measure = '党员出勤率';
END;
DROP TRIGGER eval_pairs_attendance_update;
CREATE TRIGGER eval_pairs_attendance_update AFTER UPDATE ON attendance BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = (SELECT substr(held_on, 1, 7) FROM activities WHERE id = NEW.activity_id) AND measure = '党员出勤率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = (SELECT substr(held_on, 1, 7) FROM activities WHERE id = OLD.activity_id) AND measure = '党员出勤率';
END;
DROP TRIGGER eval_pairs_attendance_delete;
CREATE TRIGGER eval_pairs_attendance_delete AFTER DELETE ON attendance BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = (SELECT substr(held_on, 1, 7) FROM activities WHERE id = OLD.activity_id) AND measure = '党员出勤率';
END;
DROP TRIGGER eval_pairs_activity_items_insert;
CREATE TRIGGER eval_pairs_activity_items_insert AFTER INSERT ON activity_items BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM activities v JOIN eval_pairs p ON p.month = substr(v.held_on, 1, 7) AND p.measure = '关联业务组织生活占比'
    WHERE v.id = NEW.activity_id;
END;
DROP TRIGGER eval_pairs_activity_items_update;
CREATE TRIGGER eval_pairs_activity_items_update AFTER UPDATE ON activity_items BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM activities v JOIN eval_pairs p ON p.month = substr(v.held_on, 1, 7) AND p.measure = '关联业务组织生活占比'
    WHERE v.id = NEW.activity_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM activities v JOIN eval_pairs p ON p.month = substr(v.held_on, 1, 7) AND p.measure = '关联业务组织生活占比'
    WHERE v.id = OLD.activity_id;
END;
DROP TRIGGER eval_pairs_activity_items_delete;
CREATE TRIGGER eval_pairs_activity_items_delete AFTER DELETE ON activity_items BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM activities v JOIN eval_pairs p ON p.month = substr(v.held_on, 1, 7) AND p.measure = '关联业务组织生活占比'
    WHERE v.id = OLD.activity_id;
END;
DROP TRIGGER eval_pairs_requests_insert;
CREATE TRIGGER eval_pairs_requests_insert AFTER INSERT ON requests BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.procedural_due, 1, 7) AND measure = '12309程序性答复及时率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.received_on, 1, 7) AND measure = '12309办结率';
END;
DROP TRIGGER eval_pairs_requests_update;
CREATE TRIGGER eval_pairs_requests_update AFTER UPDATE ON requests BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.procedural_due, 1, 7) AND measure = '12309程序性答复及时率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.received_on, 1, 7) AND measure = '12309办结率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.procedural_due, 1, 7) AND measure = '12309程序性答复及时率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.received_on, 1, 7) AND measure = '12309办结率';
END;
DROP TRIGGER eval_pairs_requests_delete;
CREATE TRIGGER eval_pairs_requests_delete AFTER DELETE ON requests BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.procedural_due, 1, 7) AND measure = '12309程序性答复及时率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.received_on, 1, 7) AND measure = '12309办结率';
END;
DROP TRIGGER eval_pairs_pil_matters_insert;
CREATE TRIGGER eval_pairs_pil_matters_insert AFTER INSERT ON pil_matters BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.filed_on, 1, 7) AND measure = '公益诉讼立案数';
END;
DROP TRIGGER eval_pairs_pil_matters_update;
CREATE TRIGGER eval_pairs_pil_matters_update AFTER UPDATE ON pil_matters BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.filed_on, 1, 7) AND measure = '公益诉讼立案数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.filed_on, 1, 7) AND measure = '公益诉讼立案数';
END;
DROP TRIGGER eval_pairs_pil_matters_delete;
CREATE TRIGGER eval_pairs_pil_matters_delete AFTER DELETE ON pil_matters BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.filed_on, 1, 7) AND measure = '公益诉讼立案数';
END;
DROP TRIGGER eval_pairs_outreach_insert;
CREATE TRIGGER eval_pairs_outreach_insert AFTER INSERT ON outreach BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '普法宣传次数';
END;
DROP TRIGGER eval_pairs_outreach_update;
CREATE TRIGGER eval_pairs_outreach_update AFTER UPDATE ON outreach BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.held_on, 1, 7) AND measure = '普法宣传次数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '普法宣传次数';
END;
DROP TRIGGER eval_pairs_outreach_delete;
CREATE TRIGGER eval_pairs_outreach_delete AFTER DELETE ON outreach BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.held_on, 1, 7) AND measure = '普法宣传次数';
END;
DROP TRIGGER eval_pairs_element_checks_insert;
CREATE TRIGGER eval_pairs_element_checks_insert AFTER INSERT ON element_checks BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.checked_on, 1, 7) AND measure = '工作法要素佐证率';
END;
DROP TRIGGER eval_pairs_element_checks_update;
CREATE TRIGGER eval_pairs_element_checks_update AFTER UPDATE ON element_checks BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, NEW.branch_id
    FROM eval_pairs WHERE month = substr(NEW.checked_on, 1, 7) AND measure = '工作法要素佐证率';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.checked_on, 1, 7) AND measure = '工作法要素佐证率';
END;
DROP TRIGGER eval_pairs_element_checks_delete;
CREATE TRIGGER eval_pairs_element_checks_delete AFTER DELETE ON element_checks BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT month, measure, OLD.branch_id
    FROM eval_pairs WHERE month = substr(OLD.checked_on, 1, 7) AND measure = '工作法要素佐证率';
END;
DROP TRIGGER eval_pairs_element_evidence_insert;
CREATE TRIGGER eval_pairs_element_evidence_insert AFTER INSERT ON element_evidence BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM element_checks v JOIN eval_pairs p ON p.month = substr(v.checked_on, 1, 7) AND p.measure = '工作法要素佐证率'
    WHERE v.id = NEW.check_id;
END;
DROP TRIGGER eval_pairs_element_evidence_update;
CREATE TRIGGER eval_pairs_element_evidence_update AFTER UPDATE ON element_evidence BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM element_checks v JOIN eval_pairs p ON p.month = substr(v.checked_on, 1, 7) AND p.measure = '工作法要素佐证率'
    WHERE v.id = NEW.check_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM element_checks v JOIN eval_pairs p ON p.month = substr(v.checked_on, 1, 7) AND p.measure = '工作法要素佐证率'
    WHERE v.id = OLD.check_id;
END;
DROP TRIGGER eval_pairs_element_evidence_delete;
CREATE TRIGGER eval_pairs_element_evidence_delete AFTER DELETE ON element_evidence BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id) SELECT p.month, p.measure, v.branch_id
    FROM element_checks v JOIN eval_pairs p ON p.month = substr(v.checked_on, 1, 7) AND p.measure = '工作法要素佐证率'
    WHERE v.id = OLD.check_id;
END;
DROP TRIGGER eval_pairs_cases_update;
CREATE TRIGGER eval_pairs_cases_update AFTER UPDATE ON cases BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= NEW.closed_on AND (mt.to_date IS NULL OR mt.to_date > NEW.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = NEW.id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(NEW.closed_on, 1, 7) AND p.measure = '办结案件数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= NEW.closed_on AND (mt.to_date IS NULL OR mt.to_date > NEW.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = NEW.id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(NEW.closed_on, 1, 7) AND p.measure = '党员主办案件占比';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= OLD.closed_on AND (mt.to_date IS NULL OR mt.to_date > OLD.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = OLD.id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(OLD.closed_on, 1, 7) AND p.measure = '办结案件数';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= OLD.closed_on AND (mt.to_date IS NULL OR mt.to_date > OLD.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = OLD.id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(OLD.closed_on, 1, 7) AND p.measure = '党员主办案件占比';
END;
DROP TRIGGER eval_pairs_case_members_insert;
CREATE TRIGGER eval_pairs_case_members_insert AFTER INSERT ON case_members BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = NEW.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = NEW.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = NEW.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = NEW.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    WHERE c.id = NEW.case_id AND NEW.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = NEW.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = NEW.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    WHERE c.id = NEW.case_id AND NEW.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= r.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > r.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM case_reviews r JOIN eval_pairs p ON p.month = substr(r.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL WHERE r.case_id = NEW.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = NEW.member_id AND mt.from_date <= rv.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > rv.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = NEW.member_id))
    FROM case_reviews rv JOIN eval_pairs p ON p.month = substr(rv.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    WHERE rv.case_id = NEW.case_id AND NEW.member_id IS NOT NULL;
END;
DROP TRIGGER eval_pairs_case_members_update;
CREATE TRIGGER eval_pairs_case_members_update AFTER UPDATE ON case_members BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = NEW.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = NEW.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = NEW.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = NEW.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    WHERE c.id = NEW.case_id AND NEW.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = NEW.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = NEW.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    WHERE c.id = NEW.case_id AND NEW.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= r.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > r.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM case_reviews r JOIN eval_pairs p ON p.month = substr(r.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL WHERE r.case_id = NEW.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = NEW.member_id AND mt.from_date <= rv.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > rv.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = NEW.member_id))
    FROM case_reviews rv JOIN eval_pairs p ON p.month = substr(rv.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    WHERE rv.case_id = NEW.case_id AND NEW.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = OLD.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = OLD.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = OLD.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = OLD.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    WHERE c.id = OLD.case_id AND OLD.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = OLD.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = OLD.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    WHERE c.id = OLD.case_id AND OLD.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= r.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > r.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM case_reviews r JOIN eval_pairs p ON p.month = substr(r.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL WHERE r.case_id = OLD.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = OLD.member_id AND mt.from_date <= rv.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > rv.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = OLD.member_id))
    FROM case_reviews rv JOIN eval_pairs p ON p.month = substr(rv.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    WHERE rv.case_id = OLD.case_id AND OLD.member_id IS NOT NULL;
END;
DROP TRIGGER eval_pairs_case_members_delete;
CREATE TRIGGER eval_pairs_case_members_delete AFTER DELETE ON case_members BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = OLD.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    JOIN case_members cm ON cm.case_id = c.id AND cm.member_id IS NOT NULL WHERE c.id = OLD.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = OLD.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = OLD.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '办结案件数'
    WHERE c.id = OLD.case_id AND OLD.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = OLD.member_id AND mt.from_date <= c.closed_on AND (mt.to_date IS NULL OR mt.to_date > c.closed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = OLD.member_id))
    FROM cases c JOIN eval_pairs p ON p.month = substr(c.closed_on, 1, 7) AND p.measure = '党员主办案件占比'
    WHERE c.id = OLD.case_id AND OLD.member_id IS NOT NULL;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= r.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > r.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM case_reviews r JOIN eval_pairs p ON p.month = substr(r.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    JOIN case_members cm ON cm.case_id = r.case_id AND cm.member_id IS NOT NULL WHERE r.case_id = OLD.case_id;
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = OLD.member_id AND mt.from_date <= rv.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > rv.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = OLD.member_id))
    FROM case_reviews rv JOIN eval_pairs p ON p.month = substr(rv.reviewed_on, 1, 7) AND p.measure = '三必评平均分'
    WHERE rv.case_id = OLD.case_id AND OLD.member_id IS NOT NULL;
END;
DROP TRIGGER eval_pairs_case_reviews_insert;
CREATE TRIGGER eval_pairs_case_reviews_insert AFTER INSERT ON case_reviews BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= NEW.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > NEW.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = NEW.case_id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(NEW.reviewed_on, 1, 7) AND p.measure = '三必评平均分';
END;
DROP TRIGGER eval_pairs_case_reviews_update;
CREATE TRIGGER eval_pairs_case_reviews_update AFTER UPDATE ON case_reviews BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= NEW.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > NEW.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = NEW.case_id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(NEW.reviewed_on, 1, 7) AND p.measure = '三必评平均分';
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= OLD.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > OLD.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = OLD.case_id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(OLD.reviewed_on, 1, 7) AND p.measure = '三必评平均分';
END;
DROP TRIGGER eval_pairs_case_reviews_delete;
CREATE TRIGGER eval_pairs_case_reviews_delete AFTER DELETE ON case_reviews BEGIN
  INSERT OR IGNORE INTO eval_pairs_dirty(month, measure, branch_id)
    SELECT p.month, p.measure, coalesce((SELECT mt.branch_id FROM member_terms mt WHERE mt.member_id = cm.member_id AND mt.from_date <= OLD.reviewed_on AND (mt.to_date IS NULL OR mt.to_date > OLD.reviewed_on) ORDER BY mt.from_date DESC LIMIT 1), (SELECT m.branch_id FROM members m WHERE m.id = cm.member_id))
    FROM eval_pairs p JOIN case_members cm ON cm.case_id = OLD.case_id AND cm.member_id IS NOT NULL
    WHERE p.month = substr(OLD.reviewed_on, 1, 7) AND p.measure = '三必评平均分';
END;
