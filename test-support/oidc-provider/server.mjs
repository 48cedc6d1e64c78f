// A real authorization server implementing RFC 9701 (JWT responses for introspection) for the
// starter's tests: node oidc-provider with introspection, jwtIntrospection, client credentials
// and opaque access tokens. Started by the tests on a free port:
//   node server.mjs <port> [--plain] [--encrypt-for <public-jwk-file>]
//   --plain: jwtIntrospection off, answers are plain JSON;
//   --encrypt-for: signed answers to notes-api are also encrypted (RSA-OAEP-256, A128CBC-HS256)
//   for the resource server's public key (a JWK in the file).
// Clients: notes-api / notes-api-secret (the resource server, introspects),
//          notes-web / notes-web-secret (gets tokens with client_credentials, scopes read write).
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const plain = process.argv.includes('--plain');
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port> [--plain] [--encrypt-for <public-jwk-file>]');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const encryptFor = process.argv.indexOf('--encrypt-for');
const encryption = encryptFor > 0
  ? {
    introspection_encrypted_response_alg: 'RSA-OAEP-256',
    introspection_encrypted_response_enc: 'A128CBC-HS256',
    jwks: { keys: [JSON.parse(readFileSync(process.argv[encryptFor + 1], 'utf8'))] },
  }
  : {};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'notes-api',
      client_secret: 'notes-api-secret',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      introspection_signed_response_alg: 'RS256',
      ...encryption,
    },
    {
      client_id: 'notes-web',
      client_secret: 'notes-web-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'read write',
    },
  ],
  jwks: { keys: [signingKey] },
  scopes: ['read', 'write'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    jwtIntrospection: { enabled: !plain },
    revocation: { enabled: true },
    encryption: { enabled: encryptFor > 0 },
  },
});
provider.proxy = false;
provider.on('server_error', (ctx, err) => console.error('server_error', err));

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer} (jwtIntrospection ${plain ? 'off' : 'on'}`
    + `${encryptFor > 0 ? ', encrypted answers' : ''})`);
});
