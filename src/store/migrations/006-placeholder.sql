-- placeholder for another helper's migration 006 (issue 7); replaced at merge
SELECT 1;
