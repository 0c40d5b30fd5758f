// The reason shown for an error thrown while reading: file system and zlib codes in plain words.
export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  // tar-stream's words for an archive that stops in the middle of a member.
  if (message === 'Unexpected end of data') return 'truncated archive (unexpected end of data)';
  switch (code) {
    case 'Z_BUF_ERROR':
    case 'Z_DATA_ERROR':
      return `corrupt or truncated gzip data (${message})`;
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return message;
  }
}
