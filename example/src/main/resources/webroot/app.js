// The TodoMVC page over the Todo-Backend API at /todos. Every change goes to the server first
// and the list is drawn from its answer, so what the page shows is what the database holds.
(function () {
  'use strict';

  const list = document.querySelector('.todo-list');
  const input = document.querySelector('.new-todo');
  const count = document.querySelector('.todo-count');
  const status = document.querySelector('.status');
  const clearCompleted = document.querySelector('.clear-completed');
  let todos = [];

  async function call(method, url, body) {
    status.textContent = method === 'GET' ? '' : 'saving…';
    const response = await fetch(url, {
      method: method,
      headers: body ? {'Content-Type': 'application/json'} : {},
      body: body ? JSON.stringify(body) : undefined
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({error: response.statusText}));
      status.textContent = 'Not saved: ' + problem.error;
      throw new Error(problem.error);
    }
    status.textContent = '';
    return response.status === 204 ? null : response.json();
  }

  async function load() {
    todos = await call('GET', '/todos');
    draw();
  }

  function draw() {
    list.replaceChildren(...todos.map(item));
    const left = todos.filter(t => !t.completed).length;
    count.textContent = left + (left === 1 ? ' item left' : ' items left');
    document.body.classList.toggle('empty', todos.length === 0);
  }

  function item(todo) {
    const li = document.createElement('li');
    li.dataset.id = todo.id;
    li.classList.toggle('completed', todo.completed);

    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.className = 'toggle';
    toggle.checked = todo.completed;
    toggle.addEventListener('change', () => change(todo, {completed: toggle.checked}));

    const label = document.createElement('label');
    label.textContent = todo.title;
    label.addEventListener('dblclick', () => edit(li, todo));

    const destroy = document.createElement('button');
    destroy.className = 'destroy';
    destroy.title = 'Delete';
    destroy.addEventListener('click', async () => {
      await call('DELETE', todo.url);
      await load();
    });

    li.append(toggle, label, destroy);
    return li;
  }

  function edit(li, todo) {
    const field = document.createElement('input');
    field.className = 'edit';
    field.value = todo.title;
    li.classList.add('editing');
    li.append(field);
    field.focus();
    const done = () => {
      const title = field.value.trim();
      li.classList.remove('editing');
      field.remove();
      if (title && title !== todo.title) {
        change(todo, {title: title});
      }
    };
    field.addEventListener('blur', done, {once: true});
    field.addEventListener('keydown', e => {
      if (e.key === 'Enter') field.blur();
      if (e.key === 'Escape') { field.value = todo.title; field.blur(); }
    });
  }

  async function change(todo, fields) {
    await call('PATCH', todo.url, fields);
    await load();
  }

  input.addEventListener('keydown', async e => {
    const title = input.value.trim();
    if (e.key !== 'Enter' || !title) return;
    input.disabled = true;
    try {
      await call('POST', '/todos', {title: title, order: todos.length + 1});
      input.value = '';
      await load();
    } finally {
      input.disabled = false;
      input.focus();
    }
  });

  clearCompleted.addEventListener('click', async () => {
    for (const todo of todos.filter(t => t.completed)) {
      await call('DELETE', todo.url);
    }
    await load();
  });

  load().catch(e => { status.textContent = 'Could not load the todos: ' + e.message; });
})();
