// One transaction on a fresh admin connection: commit when `work` resolves, roll back when it
// throws, close the connection either way. Migrations and seeding are all-or-nothing with it.
import pg from 'pg';

export async function inAdminTransaction<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
