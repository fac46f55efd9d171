import { maskPhone } from '../../src/shared/logger';

describe('maskPhone', () => {
  it('hides the middle digits of an E.164 number', () => {
    expect(maskPhone('+14155550123')).toBe('+1415***0123');
    expect(maskPhone('+447911123456')).toBe('+4479****3456');
  });

  it('masks short numbers entirely rather than leak them', () => {
    expect(maskPhone('12345')).toBe('*****');
  });

  it('never returns the middle digits', () => {
    const masked = maskPhone('+33612345678');
    expect(masked).not.toContain('1234');
    expect(masked.endsWith('5678')).toBe(true);
  });
});
