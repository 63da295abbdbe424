// Task logs would drown the test output; failures show in the assertions instead.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
