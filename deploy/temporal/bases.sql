-- Run once by the postgres image when temporal-postgresql's volume is first initialised
-- (docker-entrypoint-initdb.d): the database « temporal » is the user's own, created by the
-- image; visibility (the workflow lists and search attributes) has its own. Their tables come
-- from the temporal-schema job.
CREATE DATABASE temporal_visibility OWNER temporal;
