-- placeholder for another helper's migration 007 (issue 7); replaced at merge
SELECT 1;
