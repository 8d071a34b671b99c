import { parse as parseYaml } from 'yaml';

/**
 * The EC2/on-premises AppSpec (version 0.0) as agent v1 reads it (`application_specification/*.rb`),
 * with its messages.
 */
export class AppSpecError extends Error {}

export interface HookScript {
  location: string;
  timeout: number;
  runas?: string;
  sudo: boolean;
}

export interface FileMapping {
  source: string;
  destination: string;
}

export interface Permission {
  object: string;
  pattern: string;
  except: string[];
  type: ('file' | 'directory')[];
  owner?: string;
  group?: string;
  mode?: string;
  acls?: string[];
  context?: { user?: string; type: string; range?: string };
}

export interface AppSpec {
  version: number;
  os: 'linux' | 'windows';
  files: FileMapping[];
  permissions: Permission[];
  hooks: Record<string, HookScript[]>;
  fileExistsBehavior?: 'DISALLOW' | 'OVERWRITE' | 'RETAIN';
}

/** Every lifecycle event a script may be attached to on EC2/on-premises. */
export const HOOK_EVENTS = [
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function parseHooks(raw: unknown): Record<string, HookScript[]> {
  if (raw === undefined || raw === null) return {};
  if (!isMap(raw)) throw new AppSpecError('The deployment failed because the hooks section of the application specification file is not a mapping of lifecycle events to scripts.');
  const unknown = Object.keys(raw).filter((name) => !(HOOK_EVENTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new AppSpecError(`appspec.yml file contains unknown lifecycle events: [${unknown.map((u) => JSON.stringify(u)).join(', ')}]`);
  const hooks: Record<string, HookScript[]> = {};
  for (const [event, scripts] of Object.entries(raw)) {
    hooks[event] = list(scripts).map((script) => {
      const s = isMap(script) ? script : {};
      const location = s.location === undefined || s.location === null ? '' : String(s.location).trim();
      if (!location) throw new AppSpecError('The deployment failed because the application specification file specifies a script with no location value. Specify the location in the hooks section of the AppSpec file, and then try again.');
      const timeout = s.timeout === undefined || s.timeout === null ? 3600 : Math.trunc(Number.parseInt(String(s.timeout), 10));
      if (!Number.isFinite(timeout) || timeout <= 0) throw new AppSpecError('The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.');
      const runas = s.runas === undefined || s.runas === null ? undefined : String(s.runas).trim();
      return { location, timeout, runas: runas || undefined, sudo: s.sudo === true };
    });
  }
  return hooks;
}

function parseMode(value: unknown): string {
  let mode = String(value);
  while (mode.length < 3) mode = `0${mode}`;
  if (mode.length > 4) throw new AppSpecError(`The deployment failed because the length of a permissions mode (${mode}) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.`);
  const bad = [...mode].find((c) => c < '0' || c > '7');
  if (bad !== undefined) throw new AppSpecError(`The deployment failed because the permissions mode (${mode}) in the application specification file contains an invalid character (${bad}). Update the permissions section of the AppSpec file, and then try again.`);
  return mode;
}

function parsePermissions(raw: unknown, os: string): Permission[] {
  return list(raw).map((entry) => {
    const p = isMap(entry) ? entry : {};
    const object = p.object === undefined || p.object === null ? '' : String(p.object).trim();
    if (!object) throw new AppSpecError('The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.');
    if (os !== 'linux') throw new AppSpecError('The deployment failed because the application specification file specifiles file permissions, but the deployment is targeting one or more Windows Server instances. Permissions are supported only for Amazon Linux, Ubuntu Server, and Red Hat Enterprise Linux (RHEL) instances. Update the permissions section of the AppSpec file, and then try again.');
    const type = list(p.type ?? ['file', 'directory']).map(String);
    for (const t of type) {
      if (t !== 'file' && t !== 'directory') throw new AppSpecError(`The deployment failed because the application specification file specifies a permission for an object type not supported for permissions (${t}). Update the permissions section of the AppSpec file, and then try again.`);
    }
    const context = isMap(p.context) ? p.context : undefined;
    return {
      object,
      pattern: p.pattern === undefined || p.pattern === null ? '**' : String(p.pattern),
      except: list(p.except).map(String),
      type: type as Permission['type'],
      owner: p.owner === undefined || p.owner === null ? undefined : String(p.owner),
      group: p.group === undefined || p.group === null ? undefined : String(p.group),
      mode: p.mode === undefined || p.mode === null ? undefined : parseMode(p.mode),
      acls: p.acls === undefined || p.acls === null ? undefined : list(p.acls).map(String),
      context: context
        ? {
            user: isMap(context.user) ? String(context.user.name ?? '') || undefined : undefined,
            type: isMap(context.type) ? String(context.type.name ?? '') : String(context.type ?? ''),
            range: isMap(context.range) ? `${String(context.range.low ?? '')}${context.range.high ? `-${String(context.range.high)}` : ''}` : undefined,
          }
        : undefined,
    };
  });
}

/** Parses appspec text for an agent running on `platform` (`linux` here). */
export function parseAppSpec(text: string, platform: 'linux' | 'windows' = 'linux'): AppSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new AppSpecError(`The deployment failed because the application specification file is not valid YAML: ${(err as Error).message}`);
  }
  if (!isMap(doc)) throw new AppSpecError('The deployment failed because the application specification file is not a YAML mapping.');
  if (doc.version !== 0) {
    throw new AppSpecError(`The deployment failed because an invalid version value (${String(doc.version ?? '')}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`);
  }
  if (doc.os !== platform) {
    throw new AppSpecError(`The deployment failed because the application specification file specifies an unsupported operating system (${String(doc.os ?? '')}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`);
  }
  const files = list(doc.files).map((f) => {
    const m = isMap(f) ? f : {};
    return { source: String(m.source ?? ''), destination: String(m.destination ?? '') };
  });
  const behavior = doc.file_exists_behavior;
  if (behavior !== undefined && behavior !== null && !['DISALLOW', 'OVERWRITE', 'RETAIN'].includes(String(behavior).toUpperCase())) {
    throw new AppSpecError(`The deployment failed because an invalid option was specified for fileExistsBehavior: ${String(behavior)}. Valid options include OVERWRITE, RETAIN, and DISALLOW.`);
  }
  return {
    version: 0,
    os: platform,
    hooks: parseHooks(doc.hooks),
    files,
    permissions: parsePermissions(doc.permissions, platform),
    fileExistsBehavior: behavior === undefined || behavior === null ? undefined : (String(behavior).toUpperCase() as AppSpec['fileExistsBehavior']),
  };
}
