#!/usr/bin/env python3
"""Generates the bad-input corpus: each file is base.yaml.src (a valid
scenario) with one thing wrong, and WANT.tsv names, for each file, the exit
status wanted (2: invalid input) and a substring its error message must
contain (the key path as the user wrote it, or the problem). Run from this directory: python3 gen.py
TestBadInputCorpus (cmd/devolve/corpus_test.go) runs every file."""
import copy, json, os, glob
import yaml

base = yaml.safe_load(open('base.yaml.src'))
cases = []  # (file name, text, want)


def y(name, want, mutate, code=2):
    d = copy.deepcopy(base)
    mutate(d)
    cases.append((name + '.yaml', yaml.safe_dump(d, sort_keys=False, default_flow_style=None, width=200), want, code))


def raw(name, text, want, code=2):
    cases.append((name, text, want, code))


def setp(path, value):
    """A mutation setting d[path...] = value; path items are keys or indexes."""
    def f(d):
        x = d
        for k in path[:-1]:
            x = x[k]
        x[path[-1]] = value
    return f


def delp(path):
    def f(d):
        x = d
        for k in path[:-1]:
            x = x[k]
        del x[path[-1]]
    return f


def both(*fs):
    def f(d):
        for g in fs:
            g(d)
    return f


W = ['workforce', 0]
S = ['systems', 0]
I = ['items', 0]
R = ['risks', 0]
P = ['predecessors']

# --- syntax and file format -------------------------------------------------
raw('syntax_unclosed_flow.yaml', 'name: x\npredecessors: [{name: A\n', 'YAML syntax error')
raw('syntax_tab_indent.yaml', 'name: x\npredecessors:\n\t- {name: A}\n', 'YAML syntax error')
raw('syntax_bad_json.json', '{"name": "x", "horizon": }', 'JSON syntax error')
raw('syntax_json_trailing.json', '{"name": "x"} {"name": "y"}', 'more data after')
raw('syntax_bad_toml.toml', 'name = "x\nhorizon = 10\n', 'TOML syntax error')
raw('syntax_toml_table_twice.toml', '[democracy]\nallowance = 1\n[democracy]\nallowance = 2\n', 'TOML syntax error')
raw('empty.yaml', '', 'file is empty')
raw('whitespace_only.yaml', '   \n\n  \n', 'file is empty')
raw('comment_only.yaml', '# nothing here\n', 'no settings')
raw('top_level_list.yaml', '- name: x\n- name: y\n', 'top level')
raw('top_level_scalar.yaml', 'just a sentence\n', 'top level')
raw('top_level_list.json', '[1, 2, 3]', 'top level')
raw('empty_map.json', '{}', 'no settings')
raw('unsupported.txt', 'name: x\n', 'unsupported file type')
raw('unsupported.ini', '[x]\nname = y\n', 'unsupported file type')
raw('binary_garbage.yaml', '\x00\x01\x02\xff\xfe name', 'syntax error')
raw('null_document.yaml', '~\n', 'no settings')
raw('yaml_alias_bomb.yaml', 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n', 'syntax error')
raw('nested_200.yaml', 'name: ' + '[' * 200 + ']' * 200 + '\n', 'nest')
raw('nested_200.json', '{"name": ' + '[' * 200 + ']' * 200 + '}', 'nest')
raw('nested_200.toml', 'name = ' + '[' * 200 + ']' * 200 + '\n', 'name: lists and maps nest 200 deep (from line 1)')
raw('nested_maps_100.json', '{"name": ' + '{"a": ' * 100 + '1' + '}' * 100 + '}', 'nest')

# --- keys: duplicates, case, dots, unknown ----------------------------------
txt = open('base.yaml.src').read()
raw('dup_key.yaml', txt + 'horizon: 12\n', 'horizon')
raw('case_collision_top.yaml', txt + 'Horizon: 12\n', 'same key')
raw('case_collision_nested.yaml', txt.replace('democracy: {allowance: 15k}', 'democracy: {allowance: 15k, Allowance: 20k}'), 'democracy.allowance')
raw('case_collision_shares.yaml', txt.replace('predecessors: [Shire, Northtown]}', 'predecessors: [Shire, Northtown], shares: {Shire: 0.5, shire: 0.5}}'), 'successors[0].shares')
raw('case_collision_dist.yaml', txt.replace('cost_per_fte: 45k', 'cost_per_fte: {dist: normal, mean: 45k, sd: 1k, SD: 2k}'), 'workforce[0].cost_per_fte')
raw('dup_key.json', '{"name": "x", "name": "y"}', 'key given twice')
raw('case_collision.json', '{"name": "x", "NAME": "y"}', 'same key')
raw('dup_key.toml', 'name = "x"\nname = "y"\n', 'TOML syntax error')
raw('case_collision.toml', 'name = "x"\nNAME = "y"\n', 'same key')
y('unknown_top_key', 'horizn', setp(['horizn'], 10))
y('unknown_pred_key', 'predecessors[1].populaton', setp(P + [1, 'populaton'], 5))
y('unknown_system_key', 'systems[0].migraton', setp(S + ['migraton'], 5))
y('unknown_workforce_key', 'workforce[0].reducton', setp(W + ['reducton'], 0.1))
y('unknown_item_key', 'items[0].amout', setp(I + ['amout'], 1))
y('unknown_risk_key', 'risks[0].probabilty', setp(R + ['probabilty'], 0.1))
y('unknown_democracy_key', 'democracy.allowence', setp(['democracy', 'allowence'], 1))
y('dotted_unknown_key', 'p2.5', setp(S + ['licence'], {'dist': 'uniform', 'min': 1, 'max': 2, 'p2.5': 1}))
y('unknown_dist_key', 'systems[0].licence.mode', setp(S + ['licence'], {'dist': 'normal', 'mean': 1e5, 'sd': 1e4, 'mode': 3}))

# --- wrong types --------------------------------------------------------------
y('type_horizon_text', 'horizon', setp(['horizon'], 'ten'))
y('type_horizon_fraction', 'horizon', setp(['horizon'], 2.5))
y('type_horizon_list', 'horizon', setp(['horizon'], [1, 2]))
y('type_name_map', 'name', setp(['name'], {'a': 1}))
y('type_predecessors_map', 'predecessors', setp(['predecessors'], {'a': 1}))
y('type_population_text', 'predecessors[0].population', setp(P + [0, 'population'], 'lots'))
y('type_population_list', 'predecessors[0].population', setp(P + [0, 'population'], [1]))
y('type_successor_preds_text', 'successors[0].predecessors', setp(['successors', 0, 'predecessors'], 'Shire'))
y('type_recurring_text', 'items[0].recurring', setp(I + ['recurring'], 'yes please'))
y('type_profile_text', 'items[0].profile', setp(I + ['profile'], 'half'))
y('type_councillors_fraction', 'predecessors[0].councillors', setp(P + [0, 'councillors'], 1.5))
y('type_per_kind_text', 'systems[0].per_kind', setp(S + ['per_kind'], 'one each'))
y('type_dist_list', 'systems[0].licence', setp(S + ['licence'], [1, 2]))
y('type_dist_bool', 'systems[0].licence', setp(S + ['licence'], True))
y('nan_population', 'predecessors[0].population', setp(P + [0, 'population'], float('nan')))
y('inf_population', 'predecessors[0].population', setp(P + [0, 'population'], float('inf')))
y('nan_amount', 'items[0].amount', setp(I + ['amount'], float('nan')))
y('inf_licence_max', 'systems[0].licence', setp(S + ['licence'], {'dist': 'uniform', 'min': 1, 'max': float('inf')}))
y('amount_text', 'items[0].amount', setp(I + ['amount'], 'a lot'))
y('amount_range_reversed', 'items[0].amount', setp(I + ['amount'], '45m to 15m'))

# --- distributions --------------------------------------------------------------
D = S + ['licence']
for name, spec, want in [
    ('normal_sd_zero', {'dist': 'normal', 'mean': 1e5, 'sd': 0}, 'systems[0].licence.sd'),
    ('normal_sd_negative', {'dist': 'normal', 'mean': 1e5, 'sd': -1}, 'systems[0].licence.sd'),
    ('normal_sd_1e308', {'dist': 'normal', 'mean': 1e5, 'sd': 1e308}, 'systems[0].licence'),
    ('normal_three_percentiles', {'dist': 'normal', 'p5': 1, 'p50': 2, 'p95': 3}, 'systems[0].licence'),
    ('normal_p95_below_p5', {'dist': 'normal', 'p5': 10, 'p95': 3}, 'systems[0].licence.p95'),
    ('normal_p0', {'dist': 'normal', 'p0': 1, 'p95': 3}, 'systems[0].licence'),
    ('lognormal_mu_800', {'dist': 'lognormal', 'mu': 800, 'sigma': 1}, 'systems[0].licence'),
    ('lognormal_sigma_zero', {'dist': 'lognormal', 'mu': 10, 'sigma': 0}, 'systems[0].licence.sigma'),
    ('lognormal_negative_p5', {'dist': 'lognormal', 'p5': -1, 'p95': 3}, 'systems[0].licence'),
    ('gamma_tiny_rate', {'dist': 'gamma', 'shape': 2, 'rate': 1e-300}, 'systems[0].licence'),
    ('gamma_rate_and_scale', {'dist': 'gamma', 'shape': 2, 'rate': 1, 'scale': 1}, 'systems[0].licence.scale'),
    ('gamma_no_rate', {'dist': 'gamma', 'shape': 2}, 'systems[0].licence.rate'),
    ('gamma_shape_negative', {'dist': 'gamma', 'shape': -2, 'rate': 1}, 'systems[0].licence.shape'),
    ('beta_alpha_zero', {'dist': 'beta', 'alpha': 0, 'beta': 1}, 'systems[0].licence.alpha'),
    ('beta_max_below_min', {'dist': 'beta', 'alpha': 2, 'beta': 2, 'min': 5, 'max': 1}, 'systems[0].licence.max'),
    ('pareto_alpha_half', {'dist': 'pareto', 'min': 1000, 'alpha': 0.5}, 'systems[0].licence'),
    ('pareto_alpha_one', {'dist': 'pareto', 'min': 1000, 'alpha': 1}, 'systems[0].licence'),
    ('pareto_min_zero', {'dist': 'pareto', 'min': 0, 'alpha': 2}, 'systems[0].licence.min'),
    ('uniform_max_below_min', {'dist': 'uniform', 'min': 5, 'max': 1}, 'systems[0].licence.max'),
    ('uniform_missing_max', {'dist': 'uniform', 'min': 5}, 'systems[0].licence.max'),
    ('uniform_int_huge', {'dist': 'uniform_int', 'min': -9e18, 'max': 9e18}, 'systems[0].licence'),
    ('uniform_int_1e300', {'dist': 'uniform_int', 'min': -1e300, 'max': 1e300}, 'systems[0].licence'),
    ('uniform_int_fraction', {'dist': 'uniform_int', 'min': 1.5, 'max': 3}, 'systems[0].licence'),
    ('triangular_mode_outside', {'dist': 'triangular', 'min': 1, 'mode': 9, 'max': 5}, 'systems[0].licence.mode'),
    ('pert_mode_outside', {'dist': 'pert', 'min': 1, 'mode': 9, 'max': 5}, 'systems[0].licence.mode'),
    ('pert_lambda_negative', {'dist': 'pert', 'min': 1, 'mode': 2, 'max': 5, 'lambda': -1}, 'systems[0].licence.lambda'),
    ('metalog_decreasing', {'dist': 'metalog', 'p10': 5, 'p50': 3, 'p90': 9}, 'systems[0].licence'),
    ('metalog_two_points', {'dist': 'metalog', 'p10': 5, 'p90': 9}, 'systems[0].licence'),
    ('bernoulli_p_1_5', {'dist': 'bernoulli', 'p': 1.5}, 'systems[0].licence.p'),
    ('discrete_weights', {'dist': 'discrete', 'values': [1, 2], 'weights': [0.5, 0.4]}, 'systems[0].licence.weights'),
    ('discrete_weight_negative', {'dist': 'discrete', 'values': [1, 2], 'weights': [1.5, -0.5]}, 'systems[0].licence.weights[1]'),
    ('discrete_values_text', {'dist': 'discrete', 'values': 'one', 'weights': [1]}, 'systems[0].licence.values'),
    ('mixture_weights', {'dist': 'mixture', 'weights': [0.5, 0.6], 'components': [1, 2]}, 'systems[0].licence.weights'),
    ('mixture_bad_component', {'dist': 'mixture', 'weights': [0.5, 0.5], 'components': [1, {'dist': 'normal', 'mean': 1, 'sd': -1}]}, 'systems[0].licence.components[1].sd'),
    ('mixture_no_components', {'dist': 'mixture', 'weights': [1]}, 'systems[0].licence.components'),
    ('unknown_family', {'dist': 'normall', 'mean': 1, 'sd': 1}, 'systems[0].licence.dist'),
    ('missing_family', {'mean': 1, 'sd': 1}, 'systems[0].licence.dist'),
    ('truncate_not_list', {'dist': 'normal', 'mean': 1e5, 'sd': 1e4, 'truncate': 5}, 'systems[0].licence.truncate'),
    ('truncate_empty', {'dist': 'normal', 'mean': 1e5, 'sd': 1e4, 'truncate': [1e9, 2e9]}, 'systems[0].licence.truncate'),
    ('truncate_reversed', {'dist': 'normal', 'mean': 1e5, 'sd': 1e4, 'truncate': [5, 1]}, 'systems[0].licence.truncate'),
    ('truncate_discrete', {'dist': 'bernoulli', 'p': 0.5, 'truncate': [0, 1]}, 'systems[0].licence.truncate'),
    ('shift_text', {'dist': 'normal', 'mean': 1e5, 'sd': 1e4, 'shift': 'left'}, 'systems[0].licence.shift'),
    ('reference_unknown', {'reference': 'no-such-prior'}, 'systems[0].licence.reference'),
    ('fixed_huge', 1e300, 'systems[0].licence'),
    ('fixed_near_max_double', 1.7e308, 'systems[0].licence'),
]:
    y('dist_' + name, want, setp(D, spec))
y('dist_in_migration', 'systems[0].migration.mode', setp(S + ['migration'], {'dist': 'pert', 'min': 1, 'mode': 0, 'max': 2}))
y('dist_in_item', 'items[0].amount.sd', setp(I + ['amount'], {'dist': 'normal', 'mean': 1, 'sd': 0}))
y('dist_in_risk_cost', 'risks[0].cost.sigma', setp(R + ['cost'], {'dist': 'lognormal', 'mu': 1, 'sigma': -1}))
y('dist_in_overrun', 'it_overrun.weights', setp(['it_overrun'], {'dist': 'mixture', 'weights': [0.5], 'components': [1, 2]}))
y('dist_in_realisation', 'savings_realisation', setp(['savings_realisation'], {'dist': 'beta', 'alpha': 1e-300, 'beta': 1e-300}))
y('dist_in_pred_fte', 'predecessors[0].staff_fte.dist', setp(P + [0, 'staff_fte'], {'dist': 'nope'}))
y('dist_percentile_dotted_bad', 'systems[0].licence.p97.5', setp(D, {'dist': 'lognormal', 'p2.5': 5e5, 'p97.5': 1e5}))

# --- domain checks ----------------------------------------------------------------
y('horizon_zero', 'horizon', setp(['horizon'], 0))
y('horizon_negative', 'horizon', setp(['horizon'], -1))
y('horizon_101', 'horizon', setp(['horizon'], 101))
y('horizon_huge', 'horizon', setp(['horizon'], 10**12))
y('population_zero', 'predecessors[1].population', setp(P + [1, 'population'], 0))
y('population_negative', 'predecessors[1].population', setp(P + [1, 'population'], -5))
y('population_huge', 'predecessors[1].population', setp(P + [1, 'population'], 1e12))
y('kind_unknown', 'predecessors[0].kind', setp(P + [0, 'kind'], 'shire'))
y('kind_missing', 'predecessors[0].kind', delp(P + [0, 'kind']))
y('pred_name_missing', 'predecessors[0].name', delp(P + [0, 'name']))
y('pred_name_twice', 'predecessors[2].name', setp(P + [2, 'name'], 'Northtown'))
y('pred_councillors_negative', 'predecessors[0].councillors', setp(P + [0, 'councillors'], -3))
y('pred_staff_fte_negative', 'predecessors[0].staff_fte', setp(P + [0, 'staff_fte'], -100))
y('pred_net_expenditure_negative', 'predecessors[0].net_expenditure', setp(P + [0, 'net_expenditure'], {'dist': 'normal', 'mean': 1e6, 'sd': 1e6}))
y('no_predecessors', 'predecessors', setp(['predecessors'], []))
y('no_successors', 'successors', setp(['successors'], []))
y('succ_name_missing', 'successors[0].name', delp(['successors', 0, 'name']))
y('succ_name_twice', 'successors[1].name', setp(['successors', 1, 'name'], 'North'))
y('succ_no_predecessors', 'successors[0].predecessors', setp(['successors', 0, 'predecessors'], []))
y('succ_unknown_predecessor', 'successors[0].predecessors[1]', setp(['successors', 0, 'predecessors'], ['Shire', 'Nortown']))
y('succ_county_twice', 'successors[0].predecessors[2]', setp(['successors', 0, 'predecessors'], ['Shire', 'Northtown', 'Shire']))
y('succ_district_twice_in_one', 'successors[0].predecessors[2]', setp(['successors', 0, 'predecessors'], ['Shire', 'Northtown', 'northtown']))
y('succ_district_in_two', 'successors[1].predecessors[2]', setp(['successors', 1, 'predecessors'], ['Shire', 'Southtown', 'Northtown']))
y('pred_in_no_successor', 'predecessors[2]', setp(['successors', 1, 'predecessors'], ['Shire']))
y('shares_county_not_in_successor', 'successors[0].shares.Shire', both(setp(['successors', 0, 'predecessors'], ['Northtown']), setp(['successors', 0, 'shares'], {'Shire': 0.4}), setp(['successors', 1, 'shares'], {'Shire': 0.6})))
y('shares_one_successor_only', 'successors', setp(['successors', 1, 'shares'], {'Shire': 0.6}))
y('shares_sum_not_one', 'successors', both(setp(['successors', 0, 'shares'], {'Shire': 0.5}), setp(['successors', 1, 'shares'], {'Shire': 0.6})))
y('shares_for_district', 'successors[0].shares.Northtown', setp(['successors', 0, 'shares'], {'Northtown': 1}))
y('shares_negative', 'successors[0].shares.Shire', both(setp(['successors', 0, 'shares'], {'Shire': -0.5}), setp(['successors', 1, 'shares'], {'Shire': 1.5})))
y('shares_unknown_predecessor', 'successors[0].shares.Shyre', setp(['successors', 0, 'shares'], {'Shyre': 1}))
y('succ_councillors_negative', 'successors[0].councillors', setp(['successors', 0, 'councillors'], -1))
y('discount_rate_minus_99', 'discount_rate', setp(['discount_rate'], -0.99))
y('discount_rate_minus_100', 'discount_rate', setp(['discount_rate'], -1))
y('discount_rate_500pct', 'discount_rate', setp(['discount_rate'], 5))
y('discount_both', 'discount_rate', both(setp(['discount_rate'], 0.035), setp(['discount'], [{'from_year': 0, 'rate': 0.035}])))
y('discount_bands_order', 'discount[1].from_year', setp(['discount'], [{'from_year': 0, 'rate': 0.035}, {'from_year': 0, 'rate': 0.03}]))
y('discount_first_band', 'discount[0].from_year', setp(['discount'], [{'from_year': 5, 'rate': 0.035}]))
y('discount_band_rate', 'discount[1].rate', setp(['discount'], [{'from_year': 0, 'rate': 0.035}, {'from_year': 30, 'rate': -2}]))
y('optimism_bias_negative', 'optimism_bias', setp(['optimism_bias'], -0.1))
y('optimism_bias_category', 'optimism_bias.category', setp(['optimism_bias'], {'category': 'rockets'}))
y('optimism_bias_bound', 'optimism_bias.bound', setp(['optimism_bias'], {'category': 'outsourcing', 'bound': 'middle'}))
y('optimism_bias_key', 'optimism_bias.categry', setp(['optimism_bias'], {'categry': 'outsourcing'}))
y('per_kind_unknown_kind', 'systems[0].per_kind.shire', setp(S + ['per_kind'], {'shire': 1}))
y('per_kind_negative', 'systems[0].per_kind.district', setp(S + ['per_kind'], {'county': 1, 'district': -2}))
y('per_kind_case_collision', 'systems[0].per_kind', setp(S + ['per_kind'], {'district': 1, 'District': 2}))
y('counts_negative', 'systems[0].counts.Northtown', both(delp(S + ['per_kind']), setp(S + ['counts'], {'Shire': 1, 'Northtown': -1})))
y('counts_unknown_predecessor', 'systems[0].counts.Nortown', both(delp(S + ['per_kind']), setp(S + ['counts'], {'Nortown': 1})))
y('target_unknown_successor', 'systems[0].target.Middle', setp(S + ['target'], {'Middle': 1}))
y('target_negative', 'systems[0].target.North', setp(S + ['target'], {'North': -1}))
y('inventory_and_per_kind', 'systems[0].inventory', setp(S + ['inventory'], [{'predecessor': 'Shire', 'product': 'SAP', 'licence': 100000}]))
y('inventory_unknown_predecessor', 'systems[0].inventory[0].predecessor', both(delp(S + ['per_kind']), setp(S + ['inventory'], [{'predecessor': 'Shyre', 'product': 'SAP', 'licence': 100000}])))
y('inventory_missing_licence', 'systems[0].inventory[0].licence', both(delp(S + ['per_kind']), setp(S + ['inventory'], [{'predecessor': 'Shire', 'product': 'SAP'}])))
y('system_missing_licence', 'systems[0].licence', delp(S + ['licence']))
y('system_missing_migration', 'systems[0].migration', delp(S + ['migration']))
y('system_missing_name', 'systems[0].name', delp(S + ['name']))
y('system_twice', 'systems[1].name', lambda d: d['systems'].append(copy.deepcopy(d['systems'][0])))
y('workforce_fte_negative', 'workforce[0].fte', setp(W + ['fte'], -10))
y('workforce_fte_normal_negative', 'workforce[0].fte', setp(W + ['fte'], {'dist': 'normal', 'mean': 10, 'sd': 20}))
y('workforce_cost_negative', 'workforce[0].cost_per_fte', setp(W + ['cost_per_fte'], -45000))
y('workforce_redundancy_negative', 'workforce[0].redundancy_per_fte', setp(W + ['redundancy_per_fte'], -1))
y('workforce_reduction_120pct', 'workforce[0].reduction', setp(W + ['reduction'], 1.2))
y('workforce_reduction_pert_150pct', 'workforce[0].reduction', setp(W + ['reduction'], {'dist': 'pert', 'min': 0.5, 'mode': 1, 'max': 1.5}))
y('workforce_reduction_negative', 'workforce[0].reduction', setp(W + ['reduction'], -0.1))
y('workforce_reduction_missing', 'workforce[0].reduction', delp(W + ['reduction']))
y('workforce_cost_missing', 'workforce[0].cost_per_fte', delp(W + ['cost_per_fte']))
y('workforce_ramp_years_negative', 'workforce[0].ramp.years', setp(W + ['ramp'], {'start': 1, 'years': -1}))
y('workforce_ramp_start_negative', 'workforce[0].ramp.start', setp(W + ['ramp'], {'start': -1, 'years': 2}))
y('workforce_ramp_profile_negative', 'workforce[0].ramp', setp(W + ['ramp'], {'start': 1, 'profile': [0.5, -0.5]}))
y('workforce_redundancy_profile_sum', 'workforce[0].redundancy_profile', setp(W + ['redundancy_profile'], [0.5, 0.2]))
y('workforce_twice', 'workforce[1].name', lambda d: d['workforce'].append(copy.deepcopy(d['workforce'][0])))
y('democracy_no_allowance', 'democracy', setp(['democracy'], {'start': 1}))
y('democracy_start_negative', 'democracy.start', setp(['democracy', 'start'], -1))
y('democracy_councillors_negative', 'democracy.councillors_before', setp(['democracy', 'councillors_before'], -5))
y('item_start_minus_one', 'items[0].start', setp(I + ['start'], -1))
y('item_start_huge', 'items[0].start', setp(I + ['start'], 100000))
y('item_kind_wrong', 'items[0].kind', setp(I + ['kind'], 'gift'))
y('item_profile_sum', 'items[0].profile', setp(I + ['profile'], [0.5, 0.4]))
y('item_profile_negative', 'items[0].profile[1]', setp(I + ['profile'], [1.5, -0.5]))
y('item_successor_unknown', 'items[0].successor', setp(I + ['successor'], 'Middle'))
y('item_amount_missing', 'items[0].amount', delp(I + ['amount']))
y('item_name_missing', 'items[0].name', delp(I + ['name']))
y('item_twice', 'items[1].name', lambda d: d['items'].append(copy.deepcopy(d['items'][0])))
y('item_ramp_start_negative', 'items[0].ramp.start', both(setp(I + ['recurring'], True), delp(I + ['profile']), setp(I + ['ramp'], {'start': -3, 'years': 2})))
y('risk_probability_1_5', 'risks[0].probability', setp(R + ['probability'], 1.5))
y('risk_probability_negative', 'risks[0].probability', setp(R + ['probability'], -0.1))
y('risk_probability_missing', 'risks[0].probability', delp(R + ['probability']))
y('risk_year_negative', 'risks[0].year', setp(R + ['year'], -1))
y('risk_year_huge', 'risks[0].year', setp(R + ['year'], 1000000))
y('risk_hits_nothing', 'risks[0].hits', both(setp(R + ['delay'], 1), setp(R + ['hits'], ['nothing.like.this'])))
y('risk_name_missing', 'risks[0].name', delp(R + ['name']))
y('quality_missing_baseline', 'quality[0].baseline', setp(['quality'], [{'name': 'q', 'effect': 1}]))
y('quality_missing_effect', 'quality[0].effect', setp(['quality'], [{'name': 'q', 'baseline': 1}]))
y('quality_baselines_unknown', 'quality[0].baselines.Shyre', setp(['quality'], [{'name': 'q', 'effect': 1, 'baselines': {'Shyre': 1}}]))
y('quality_value_and_channel', 'quality[0]', setp(['quality'], [{'name': 'q', 'effect': 1, 'baseline': 1, 'value_per_unit': 1, 'channel_shift': {'contacts_per_year': 1, 'cost_offline': 2, 'cost_online': 1}}]))
y('quality_channel_incomplete', 'quality[0].channel_shift', setp(['quality'], [{'name': 'q', 'effect': 1, 'baseline': 1, 'channel_shift': {'contacts_per_year': 1}}]))

# --- the same problems in JSON and TOML -------------------------------------------
def j(name, want, mutate):
    d = copy.deepcopy(base)
    mutate(d)
    cases.append((name + '.json', json.dumps(d, indent=1), want, 2))

j('json_per_kind_negative', 'systems[0].per_kind.district', setp(S + ['per_kind'], {'county': 1, 'district': -2}))
j('json_discount_rate', 'discount_rate', setp(['discount_rate'], -0.99))
j('json_horizon_zero', 'horizon', setp(['horizon'], 0))
j('json_item_start', 'items[0].start', setp(I + ['start'], -1))
j('json_unknown_key', 'systems[0].licnce', setp(S + ['licnce'], 1))
j('json_normal_sd', 'systems[0].licence', setp(D, {'dist': 'normal', 'mean': 1, 'sd': 1e308}))
j('json_pareto', 'systems[0].licence', setp(D, {'dist': 'pareto', 'min': 1, 'alpha': 0.9}))

toml_base = '''name = "corpus toml"
horizon = 10

[[predecessors]]
name = "A"
kind = "district"
population = 1000

[[predecessors]]
name = "B"
kind = "district"
population = 2000

[[successors]]
name = "U"
predecessors = ["A", "B"]
'''
raw('toml_horizon_zero.toml', toml_base.replace('horizon = 10', 'horizon = 0'), 'horizon')
raw('toml_unknown_key.toml', toml_base + '\n[democracy]\nalowance = 1\n', 'democracy.alowance')
raw('toml_item_start.toml', toml_base + '\n[[items]]\nname = "x"\namount = 1\nstart = -1\n', 'items[0].start')
raw('toml_district_twice.toml', toml_base.replace('predecessors = ["A", "B"]', 'predecessors = ["A", "B", "A"]'), 'successors[0].predecessors[2]')
raw('toml_dist_dotted.toml', toml_base + '\n[[items]]\nname = "x"\n[items.amount]\ndist = "lognormal"\n"p2.5" = 9\n"p97.5" = 1\n', 'items[0].amount.p97.5')
raw('toml_nested_in_table.toml', toml_base + '\n[[items]]\nname = "a"\namount = 1\n\n[[items]]\nname = "x"\namount = ' + '[' * 100 + ']' * 100 + '\n', 'items[1].amount: lists and maps nest 100 deep (from line 24)')
raw('toml_nested_inline.toml', toml_base + '\n[democracy]\nallowance = ' + '{a = ' * 80 + '1' + '}' * 80 + '\n', 'democracy.allowance: lists and maps nest')
raw('toml_date_value.toml', toml_base.replace('horizon = 10', 'horizon = 2025-01-01'), 'horizon')

# --- extends --------------------------------------------------------------------
raw('extends_missing.yaml', 'extends: no-such-base.yaml\nhorizon: 5\n', 'extends')
raw('extends_not_text.yaml', 'extends: [a, b]\nhorizon: 5\n', 'extends')
raw('extends_self.yaml', 'extends: extends_self.yaml\nhorizon: 5\n', 'extends')
raw('extends_directory.yaml', 'extends: .\nhorizon: 5\n', 'extends')
raw('extends_bad_child.yaml', 'extends: ../base_valid.yaml\nhorizon: 0\n', 'horizon')
raw('extends_case_child.yaml', 'extends: ../base_valid.yaml\nHorizon: 0\n', 'horizon')
raw('extends_unsupported.yaml', 'extends: base.yaml.src\nhorizon: 5\n', 'base.yaml.src is not a scenario file')
raw('extends_child_breaks_shares.yaml', 'extends: ../base_valid.yaml\nsuccessors:\n  - {name: North, predecessors: [Shire, Northtown], shares: {Shire: 0.7}}\n  - {name: South, predecessors: [Shire, Southtown]}\n', 'successors')

# --- correlations (issue 19): bounded work, bounded messages -----------------
def many_items(n, amount='1m to 2m'):
    d = copy.deepcopy(base)
    d['items'] = [{'name': f'i{i}', 'amount': amount} for i in range(n)]
    return yaml.safe_dump(d, sort_keys=False, default_flow_style=None, width=200)

raw('corr_group_300.yaml', many_items(300) + 'correlations:\n- group: [items.*.amount]\n  rank: 0.3\n', 'at most 256 inputs')
raw('corr_groups_linked.yaml', many_items(400) + 'correlations:\n' + ''.join(f'- group: [items.i{i}*.amount]\n  rank: 0.3\n' for i in (1, 2, 3)) +
    '- between: [items.i1.amount, items.i2.amount]\n  rank: 0.1\n- between: [items.i2.amount, items.i3.amount]\n  rank: 0.1\n', 'links 333 inputs')
raw('corr_inconsistent_200.yaml', many_items(200) + 'correlations:\n- group: [items.*.amount]\n  rank: -0.0055\n', 'more inputs cannot hold together')
raw('corr_unknown_names.yaml', many_items(3) + 'correlations:\n- group: [' + ', '.join(f'items.x{i}.amount' for i in range(500)) + ']\n  rank: 0.3\n', 'more problems not shown')

# --- commas (issue 19): only thousands separators --------------------------
y('comma_decimal_percent', 'workforce[0].reduction', setp(W + ['reduction'], '2,5%'))
y('comma_decimal_millions', 'items[0].amount', setp(I + ['amount'], '5,5m'))
y('comma_in_range', 'systems[0].licence: cannot read "60,5k"', setp(S + ['licence'], '60,5k to 400k'))
y('comma_bad_groups', 'democracy.allowance', setp(['democracy', 'allowance'], '15,00'))

# --- byte-order marks and files that are not scenarios (issue 19) -----------
raw('bom_unknown_key.json', '\ufeff{"nme": "x"}', 'nme: unknown key (did you mean "name"?)')
raw('bom_unknown_key.toml', '\ufeffnme = "x"\n', 'nme: unknown key (did you mean "name"?)')
raw('extends_not_scenario.yaml', 'extends: /etc/passwd\nhorizon: 5\n', 'extends: /etc/passwd is not a scenario file')
raw('extends_no_type.yaml', 'extends: base_valid\nhorizon: 5\n', 'is not a scenario file')

# --- percentile levels, inventory rows (issue 19) ------------------------------
y('dist_percentile_twice', 'systems[0].licence.p50.0: is the same percentile level as p50', setp(S + ['licence'], {'dist': 'lognormal', 'p50': '100k', 'p50.0': '120k'}))
y('dist_median_and_p50', 'is the same percentile level as median', setp(S + ['licence'], {'dist': 'lognormal', 'median': '100k', 'p50': '100k'}))


def inventory(rows):
    def f(d):
        s = d['systems'][0]
        del s['per_kind']
        del s['licence']
        s['inventory'] = rows
    return f


y('inventory_row_twice', 'systems[0].inventory[1].product: Shire\'s "ERP" is already inventory[0]',
  inventory([{'predecessor': 'Shire', 'product': 'ERP', 'licence': '100k'}, {'predecessor': 'Shire', 'product': 'ERP', 'licence': '120k'}]))
y('inventory_row_case_twice', 'systems[0].inventory[1].product',
  inventory([{'predecessor': 'Shire', 'product': 'ERP', 'licence': '100k'}, {'predecessor': 'shire', 'product': 'erp', 'licence': '120k'}]))

# --- negative years and durations, empty hits (issue 19) -----------------------
y('system_contract_end_negative', 'systems[0].contract_end: must not be negative', setp(S + ['contract_end'], -1))
y('system_migration_years_negative', 'systems[0].migration_years: must not be negative', setp(S + ['migration_years'], -2))
y('system_dual_running_negative', 'systems[0].dual_running: must not be negative', setp(S + ['dual_running'], '-1 to 1'))
y('risk_delay_negative', 'risks[0].delay: must not be negative', setp(R + ['delay'], -1))
y('risk_hits_empty', 'risks[0].hits: is empty', both(setp(R + ['delay'], 1), setp(R + ['hits'], [])))

# --- a value of the wrong type hides no other error (issue 19) ----------------
y('type_horizon_text_and_more', 'predecessors[1].population', both(setp(['horizon'], 'ten'), setp(P + [1, 'population'], -5)))
y('type_councillors_text_and_more', 'items[0].amount: cannot read "banana"', both(setp(P + [0, 'councillors'], 'many'), setp(I + ['amount'], 'banana')))
raw('type_horizon_text_and_more.toml', 'horizon = "ten"\nname = 5\n', 'predecessors: at least one')

for f in glob.glob('*.yaml') + glob.glob('*.json') + glob.glob('*.toml') + glob.glob('*.txt') + glob.glob('*.ini'):
    os.remove(f)
names = set()
with open('WANT.tsv', 'w') as w:
    w.write('# file\texit status\twanted in the error message (generated by gen.py)\n')
    for name, text, want, code in cases:
        assert name not in names, name
        names.add(name)
        with open(name, 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write(text)
        w.write(f'{name}\t{code}\t{want}\n')
print(len(cases), 'cases')
