import {
  addressRange,
  refusedRange,
  compileUrlPolicy,
  webhookUrlProblem,
} from './webhook-url.util';

const strict = compileUrlPolicy({ allowHttp: false, allowedPrivateHosts: [] });
const local = compileUrlPolicy({
  allowHttp: true,
  allowedPrivateHosts: ['127.0.0.1', '10.20.0.0/16', 'receiver.internal'],
});

describe('addressRange', () => {
  it.each([
    ['8.8.8.8', 'unicast'],
    ['2606:4700::1111', 'unicast'],
    ['127.0.0.1', 'loopback'],
    ['127.200.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'reserved'],
    // IPv4 inside IPv6 is judged by the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:8.8.8.8', 'unicast'],
    ['::ffff:0:a00:1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::808:808', 'unicast'],
    ['2002:a00:1::', 'private'],
    ['2002:808:808::', 'unicast'],
    ['::7f00:1', 'ipv4Compatible'],
  ])('%s is %s', (address, range) => {
    expect(addressRange(address)).toBe(range);
  });
});

describe('refusedRange', () => {
  it('lets public addresses through and names the range of the others', () => {
    expect(refusedRange('8.8.8.8', strict)).toBeNull();
    expect(refusedRange('127.0.0.1', strict)).toBe('loopback');
    expect(refusedRange('169.254.169.254', strict)).toBe('linkLocal');
    expect(refusedRange('fd00::1', strict)).toBe('uniqueLocal');
    expect(refusedRange('not-an-ip', strict)).toBe('invalid');
  });

  it('allows the configured addresses, ranges and hostnames, and nothing next to them', () => {
    expect(refusedRange('127.0.0.1', local)).toBeNull();
    expect(refusedRange('::ffff:127.0.0.1', local)).toBeNull();
    expect(refusedRange('127.0.0.2', local)).not.toBeNull();
    expect(refusedRange('10.20.255.1', local)).toBeNull();
    expect(refusedRange('10.21.0.1', local)).not.toBeNull();
    expect(refusedRange('10.9.9.9', local, 'receiver.internal')).toBeNull();
    expect(refusedRange('10.9.9.9', local, 'Receiver.Internal.')).toBeNull();
    expect(refusedRange('10.9.9.9', local, 'other.internal')).not.toBeNull();
  });
});

describe('webhookUrlProblem', () => {
  it('accepts public https URLs', () => {
    expect(webhookUrlProblem('https://hooks.example.com/leads?x=1', strict)).toBeNull();
    expect(webhookUrlProblem('https://8.8.8.8:8443/in', strict)).toBeNull();
  });

  it.each([
    ['not a url', 'must be an absolute URL'],
    ['ftp://example.com/x', 'must use https'],
    ['http://example.com/x', 'must use https'],
    ['https://user:pw@example.com/', 'must not contain credentials'],
    ['https://example.com/#frag', 'must not contain a fragment'],
    [`https://example.com/${'a'.repeat(2048)}`, 'must be at most 2048 characters'],
    ['https://127.0.0.1/', 'must not point at a non-public address (127.0.0.1: loopback)'],
    // WHATWG URL parsing normalizes the other spellings of 127.0.0.1 first.
    ['https://2130706433/', 'must not point at a non-public address (127.0.0.1: loopback)'],
    ['https://0x7f.1/', 'must not point at a non-public address (127.0.0.1: loopback)'],
    ['https://[::1]/', 'must not point at a non-public address (::1: loopback)'],
    [
      'https://[::ffff:127.0.0.1]/',
      'must not point at a non-public address (::ffff:7f00:1: loopback)',
    ],
    ['https://10.0.0.1/', 'must not point at a non-public address (10.0.0.1: private)'],
    [
      'https://169.254.169.254/latest/meta-data',
      'must not point at a non-public address (169.254.169.254: linkLocal)',
    ],
    ['https://localhost:8080/', 'must not point at the local host'],
    ['https://api.localhost./', 'must not point at the local host'],
  ])('refuses %s (%s)', (url, problem) => {
    expect(webhookUrlProblem(url, strict)).toBe(problem);
  });

  it('accepts http and the allowed private targets when the policy says so', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://receiver.internal/hook', local)).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.1/hook', local)).toBe(
      'must not point at a non-public address (10.0.0.1: private)',
    );
  });
});
