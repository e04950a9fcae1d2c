// npm run token -- --shop demo --user 12 [--role staff] [--ttl 3600]
import { parseArgs } from 'node:util';
import { resolveAuthSecret } from '../auth/secret.ts';
import { createTokenIssuer } from '../auth/tokens.ts';
import { loadConfigOrExit } from '../config.ts';
import { callerOf, ROLES, type Role } from '../context.ts';

const { values } = parseArgs({
  options: {
    shop: { type: 'string', default: 'demo' },
    user: { type: 'string' },
    role: { type: 'string', default: 'shopper' },
    ttl: { type: 'string', default: String(7 * 24 * 3600) },
  },
});
if (!values.user) {
  console.error('usage: npm run token -- --shop <shopId> --user <userId> [--role shopper|staff|admin] [--ttl seconds]');
  process.exit(2);
}
if (!ROLES.includes(values.role as Role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
const caller = callerOf(values.shop!, values.role as Role, values.user);
if (!caller) {
  console.error(`--user must be a shopper id (a number such as 42, no leading zeros) for role shopper`);
  process.exit(2);
}
const tokens = createTokenIssuer(resolveAuthSecret(loadConfigOrExit()));
console.log(await tokens.mint(caller, Number(values.ttl)));
