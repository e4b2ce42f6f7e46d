// Harbor's ConvertCapability (goharbor/harbor src/pkg/scan/rest/v1/models.go@v2.15.x), as the real
// v2.15.2 binaries show it for the fixture scanner: {"support_vulnerability":true}.
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from './scanner-routes.ts';

describe('capabilitiesOf', () => {
  it('names only the supported types, as true', () => {
    expect(capabilitiesOf({ capabilities: [{ type: 'vulnerability' }] } as never)).toEqual({
      support_vulnerability: true,
    });
    expect(capabilitiesOf({ capabilities: [{ type: 'vulnerability' }, { type: 'sbom' }] } as never)).toEqual({
      support_vulnerability: true,
      support_sbom: true,
    });
    expect(capabilitiesOf({ capabilities: [{ type: 'sbom' }] } as never)).toEqual({ support_sbom: true });
  });
  it('treats an adapter naming no type as an old vulnerability scanner', () => {
    expect(capabilitiesOf({ capabilities: [{}] } as never)).toEqual({
      support_vulnerability: true,
      support_sbom: false,
    });
  });
});
