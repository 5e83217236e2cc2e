-- The automations run log, live and saying what each run did (issue 15, item 5). A run row held
-- counts only; what it did (sent which template on which channel, or added which tag) was the
-- automation's *current* settings, which may have changed since. Each run now keeps the action
-- it carried out, copied from its automation when it is logged, and the log is published to
-- Realtime so the run log screen updates as the workers run.

-- ============================================================================================
-- Columns
-- ============================================================================================

alter table public.automation_runs
  add column action text check (action in ('send_template', 'add_tag')),
  add column channel public.message_channel,
  add column template_name text,
  add column tag text;
comment on column public.automation_runs.action is
  'What the run did, as its automation was set when it ran: send_template or add_tag (rows older than this column: the automation''s setting when the column was added).';
comment on column public.automation_runs.channel is 'The channel a send_template run sent on.';
comment on column public.automation_runs.template_name is 'The name of the template a send_template run sent, when it ran.';
comment on column public.automation_runs.tag is 'The tag an add_tag run added.';

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- Invoker rights: only the run functions (definers) and the service role insert runs, and they
-- read automations and templates whatever RLS says.
create function private.automation_runs_record_action() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  select a.action, case when a.action = 'send_template' then a.channel end,
         case when a.action = 'send_template' then t.name end,
         case when a.action = 'add_tag' then a.tag end
    into new.action, new.channel, new.template_name, new.tag
  from public.automations a
  left join public.message_templates t on t.id = a.template_id
  where a.id = new.automation_id;
  return new;
end
$$;
comment on function private.automation_runs_record_action() is
  'Trigger: a logged run keeps what its automation was set to do (action, channel, template name, tag) when it ran.';

create trigger automation_runs_record_action
  before insert on public.automation_runs
  for each row execute function private.automation_runs_record_action();

-- The runs logged before this migration: their automation's settings now (the best known).
update public.automation_runs r
   set action = a.action,
       channel = case when a.action = 'send_template' then a.channel end,
       template_name = case when a.action = 'send_template' then t.name end,
       tag = case when a.action = 'add_tag' then a.tag end
  from public.automations a
  left join public.message_templates t on t.id = a.template_id
 where a.id = r.automation_id;

-- ============================================================================================
-- Realtime
-- ============================================================================================

alter publication supabase_realtime add table public.automation_runs;
