import { describe, expect, it } from 'vitest';
import { AppSpecError, parseAppSpec } from '../../agent/appspec.js';

const error = (text: string) => {
  try {
    parseAppSpec(text);
  } catch (err) {
    expect(err).toBeInstanceOf(AppSpecError);
    return (err as Error).message;
  }
  throw new Error('expected the appspec to be refused');
};

describe('AppSpec parsing', () => {
  it('reads files, permissions and hooks with their defaults', () => {
    const spec = parseAppSpec(`version: 0.0
os: linux
files:
  - source: /
    destination: /srv/app
file_exists_behavior: overwrite
permissions:
  - object: /srv/app
    pattern: "*.sh"
    except: [skip.sh]
    mode: 755
    owner: root
    type: [file]
hooks:
  BeforeInstall:
    - location: scripts/before.sh
      timeout: 30
      runas: root
  ApplicationStart:
    - location: scripts/start.sh
  ValidateService: []
`);
    expect(spec.files).toEqual([{ source: '/', destination: '/srv/app' }]);
    expect(spec.fileExistsBehavior).toBe('OVERWRITE');
    expect(spec.permissions[0]).toMatchObject({ object: '/srv/app', pattern: '*.sh', except: ['skip.sh'], mode: '755', owner: 'root', type: ['file'] });
    expect(spec.hooks.BeforeInstall).toEqual([{ location: 'scripts/before.sh', timeout: 30, runas: 'root', sudo: false }]);
    expect(spec.hooks.ApplicationStart).toEqual([{ location: 'scripts/start.sh', timeout: 3600, runas: undefined, sudo: false }]);
    expect(spec.hooks.ValidateService).toEqual([]);
  });

  it('refuses with the real agent messages', () => {
    expect(error('version: 1.0\nos: linux\n')).toBe('The deployment failed because an invalid version value (1) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.');
    expect(error('version: 0.0\nos: windows\n')).toBe('The deployment failed because the application specification file specifies an unsupported operating system (windows). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.');
    expect(error('version: 0.0\nos: linux\nhooks:\n  BeforeInstal:\n    - location: a.sh\n')).toBe('appspec.yml file contains unknown lifecycle events: ["BeforeInstal"]');
    expect(error('version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - timeout: 3\n')).toContain('specifies a script with no location value');
    expect(error('version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: a.sh\n      timeout: 0\n')).toContain('an invalid timeout value was provided');
    expect(error('version: 0.0\nos: linux\npermissions:\n  - object: /x\n    mode: 7789\n')).toContain('contains an invalid character (8)');
    expect(error('version: 0.0\nos: linux\npermissions:\n  - mode: 644\n')).toContain('has no object value');
    expect(error('version: 0.0\nos: linux\npermissions:\n  - object: /x\n    type: [socket]\n')).toContain('not supported for permissions (socket)');
    expect(error('version: 0.0\nos: linux\nfile_exists_behavior: MERGE\n')).toContain('invalid option was specified for fileExistsBehavior: MERGE');
    expect(error('version: 0.0\nos: linux\nhooks:\n  - [unbalanced\n')).toMatch(/not valid YAML/);
  });
});
