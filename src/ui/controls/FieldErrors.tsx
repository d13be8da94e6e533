// The validator's messages for one field, shown right under it.

export function FieldErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}. The previous setting is still in use.</p>
      ))}
    </div>
  );
}
