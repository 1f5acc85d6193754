-- placeholder for another helper's migration 008 (issue 7); replaced at merge
SELECT 1;
