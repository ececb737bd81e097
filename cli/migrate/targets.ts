/**
 * The databases a configuration routes to, as the runtime's router lists them: the one place
 * migrate depends on routing.
 */
export { listDatabaseTargets, type DatabaseTarget } from '../../runtime/router/database-targets.js';
