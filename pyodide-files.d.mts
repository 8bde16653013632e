export function pyodideFiles(): { dir: string; tag: string; urlPath: string };
