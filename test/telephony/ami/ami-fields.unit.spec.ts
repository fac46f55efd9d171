import { normaliseAmiMessage } from '../../../src/telephony/ami/ami-fields';

describe('normaliseAmiMessage', () => {
  it('keeps strings, flattens channel variables of every shape, keeps the first of repeated headers', () => {
    expect(
      normaliseAmiMessage({
        event: 'OriginateResponse',
        response: 'Success',
        chanvariable: { SIREN_CALL_ID: 'c-1' },
        'chanvariable(pjsip/trunk-0000002a)': ['SIREN_CAMPAIGN_ID=k-1', 'SIREN_NOTE=a=b'],
        variable: 'X=1',
        repeated: ['first', 'second'],
        'accountcode:': '',
      }),
    ).toEqual({
      event: 'OriginateResponse',
      response: 'Success',
      'chanvariable.SIREN_CALL_ID': 'c-1',
      'chanvariable.SIREN_CAMPAIGN_ID': 'k-1',
      'chanvariable.SIREN_NOTE': 'a=b',
      'variable.X': '1',
      repeated: 'first',
      accountcode: '',
    });
  });
});
