-- placeholder for another helper's migration 009 (issue 7); replaced at merge
SELECT 1;
