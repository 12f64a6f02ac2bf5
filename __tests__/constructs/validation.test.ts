import {
  ValidationError, checkDnsLabel, checkImage, checkIpv4, checkQuantity, checkRequestWithinLimit, checkStorageSize, quantityValue,
} from '../../constructs/validation';

describe('validators', () => {
  it('throw a ValidationError naming the owner, the prop, the value and what is expected', () => {
    try {
      checkDnsLabel('Owner x', 'appName', 'WordPress');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ owner: 'Owner x', prop: 'appName', value: 'WordPress' });
      expect((error as Error).message).toMatch(/^Owner x: invalid appName "WordPress": must be a DNS-1123 label/);
    }
  });

  it.each(['1GB', '-1Gi', 'ten', '', '0'])('rejects the storage size %j', (size) => {
    expect(() => checkStorageSize('o', 'storageSize', size)).toThrow(new RegExp(`invalid storageSize ${JSON.stringify(size)}`));
  });

  it.each(['', 'my sql:8', 'MySQL:8.4'])('rejects the image %j', (image) => {
    expect(() => checkImage('o', 'image', image)).toThrow(/must be a non-empty image reference/);
  });

  it('accepts an image pinned by digest alone, and names a malformed digest', () => {
    expect(() => checkImage('o', 'image', `mysql@sha256:${'0'.repeat(64)}`)).not.toThrow();
    expect(() => checkImage('o', 'image', 'mysql@sha256:abc')).toThrow(/invalid image "mysql@sha256:abc": has a digest that is not 'sha256:' and 64 lowercase hex digits/);
    expect(() => checkImage('o', 'image', `mysql@md5:${'0'.repeat(32)}`)).toThrow(/has a digest that is not/);
  });

  it('accepts images with registry, port and digest', () => {
    expect(() => checkImage('o', 'image', `registry.example.com:5000/team/wordpress:6.8@sha256:${'a'.repeat(64)}`)).not.toThrow();
  });

  it('reads quantities in every unit', () => {
    expect([quantityValue('1Gi'), quantityValue('512Mi'), quantityValue('250m'), quantityValue('1e3'), quantityValue('2k')])
      .toEqual([2 ** 30, 2 ** 29, 0.25, 1000, 2000]);
    expect(() => checkQuantity('o', 'q', '1 core')).toThrow(/must be a Kubernetes quantity/);
  });

  it('compares a request with its limit across units', () => {
    expect(() => checkRequestWithinLimit('o', 'memoryRequest', '1.5Gi', 'memoryLimit', '1024Mi')).toThrow(/invalid memoryRequest "1.5Gi": must not be above memoryLimit "1024Mi"/);
    expect(() => checkRequestWithinLimit('o', 'memoryRequest', '1000M', 'memoryLimit', '1Gi')).not.toThrow();
  });

  it('accepts IPv4 addresses only', () => {
    expect(() => checkIpv4('o', 'bindAddress', '0.0.0.0')).not.toThrow();
    expect(() => checkIpv4('o', 'bindAddress', '256.0.0.1')).toThrow(/must be an IPv4 address/);
  });
});
