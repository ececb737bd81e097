/**
 * Every `mongoUri` is parsed by the driver's own parser when the configuration is: a malformed
 * connection string is a ConfigError naming its path (never a raw MongoParseError from
 * `chronos.with()`), and the message never quotes the password.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/errors.js';
import { initChronos } from '../../runtime/index.js';
import { mongoUriProblem } from '../../runtime/config/mongo-uri.js';
import { quickStartConfig } from '../support/configs.js';

const PASSWORD = 'pw-Secr3t';

const MALFORMED = [
  'mongodb://',
  'mongodb://host:99999',
  'mongodb://a b',
  'mongodb+srv://h:27017',
  'mongodb://h/?maxPoolSize=x',
  'http://h',
  'mongodb://u:p@',
  `mongodb://u:${PASSWORD}@h:99999`,
  `mongodb://u:${PASSWORD}@h/?maxPoolSize=x`,
  `mongodb://u:${PASSWORD}@`,
  `mongodb://u:${PASSWORD}%@h`,
  'mongodb://h/?notAnOption=1',
  'mongodb://h/?tls=maybe',
];

function configError(uri: string): ConfigError {
  const config = quickStartConfig();
  config.dbConnections['mongo-primary'] = { mongoUri: uri };
  try {
    initChronos(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${uri}`);
}

describe('mongoUri is parsed at config time', () => {
  it.each(MALFORMED)('refuses %s with a ConfigError at dbConnections.mongo-primary.mongoUri', (uri) => {
    const error = configError(uri);
    const issue = error.issues.find((i) => i.path.join('.') === 'dbConnections.mongo-primary.mongoUri');
    expect(issue, error.message).toBeDefined();
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('accepts the forms the driver accepts: replica sets, SRV, IPv6, sockets, options, credentials', () => {
    for (const uri of [
      'mongodb://127.0.0.1:27017/?maxPoolSize=1',
      'mongodb://u:p%40ss@h1:27017,h2:27018/db?replicaSet=rs0&authSource=admin',
      'mongodb+srv://cluster0.example.com/db?retryWrites=true',
      'mongodb://[::1]:27017',
      'mongodb://%2Ftmp%2Fmongodb-27017.sock',
      'mongodb://bücher.example:27017',
      'mongodb://mongo_1.internal.',
    ]) {
      expect(mongoUriProblem(uri), uri).toBeUndefined();
    }
  });

  it('names the driver reason without the password', () => {
    expect(mongoUriProblem('mongodb://h/?maxPoolSize=x')).toMatch(/maxPoolSize/);
    expect(mongoUriProblem(`mongodb://u:${PASSWORD}@h:99999`)).not.toContain(PASSWORD);
  });
});
