import { AmiInjectionError, AmiMessageReader, header, headers, serializeAmiMessage } from '../../../src/telephony/simulator/ami-frame';

describe('AMI frame codec', () => {
  it('reads messages split anywhere, with CRLF or LF line ends, keys case-insensitive', () => {
    const reader = new AmiMessageReader({ expectBanner: true });
    const wire = 'Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: a:1\r\n\r\nevent: Hangup\nCause-txt: Normal: Clearing\n\n';
    const messages = [...wire].flatMap((char) => reader.push(char));
    expect(reader.banner).toBe('Asterisk Call Manager/9.0.0');
    expect(messages).toHaveLength(2);
    expect(header(messages[0]!, 'actionid')).toBe('a:1');
    expect(header(messages[1]!, 'EVENT')).toBe('Hangup');
    expect(header(messages[1]!, 'Cause-txt')).toBe('Normal: Clearing');
  });

  it('keeps repeated headers in order and collects lines that are not headers', () => {
    const reader = new AmiMessageReader();
    const [message] = reader.push('Action: Originate\r\nVariable: __SIREN_CALL_ID=c1\r\nnonsense\r\nVariable: X=a=b\r\n\r\n');
    expect(headers(message!, 'variable')).toEqual(['__SIREN_CALL_ID=c1', 'X=a=b']);
    expect(reader.malformedLines).toEqual(['nonsense']);
  });

  it('serialises with CRLF and a blank line, and refuses line breaks in values', () => {
    expect(serializeAmiMessage([['Action', 'Ping'], ['ActionID', '7']])).toBe('Action: Ping\r\nActionID: 7\r\n\r\n');
    expect(() => serializeAmiMessage([['Channel', 'PJSIP/1\r\nAction: Hangup']])).toThrow(AmiInjectionError);
  });
});
