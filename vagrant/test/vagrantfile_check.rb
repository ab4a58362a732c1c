# Loads the Vagrantfile against a stand-in for Vagrant's configuration API, so that more than its
# syntax is checked without Vagrant or a hypervisor: it must define master, node1 and node2 with
# their private addresses, and every provisioning script it names must exist. Prints what it
# found, one line each; exits 1 with the reasons when something is wrong.
#
#   ruby vagrant/test/vagrantfile_check.rb vagrant/Vagrantfile

module Vagrant
  CALLS = []

  def self.require_version(*); end

  # Records every call made on it (config.vm.define, n.vm.provision, ...) with the path of
  # receivers that led to it, and runs the blocks with a recorder for their argument.
  class Recorder
    def initialize(path)
      @path = path
    end

    def method_missing(name, *args, **options, &block)
      CALLS << { path: @path, name: name.to_s, args: args, options: options }
      child = Recorder.new(@path + [[name.to_s, args.first]])
      block&.call(child)
      child
    end

    def respond_to_missing?(*)
      true
    end
  end

  def self.configure(version)
    raise "configuration version #{version}, expected \"2\"" unless version == "2"

    yield Recorder.new([])
  end
end

vagrantfile = File.expand_path(ARGV.fetch(0))
dir = File.dirname(vagrantfile)
Dir.chdir(dir) { load vagrantfile }

problems = []
machine = ->(call) { call[:path].find { |name, _| name == "define" }&.last || "(all)" }

defined = Vagrant::CALLS.select { |c| c[:name] == "define" }.map { |c| c[:args].first }
puts "machines #{defined.join(' ')}"
problems << "machines are #{defined.inspect}, expected master, node1, node2" unless defined == %w[master node1 node2]

Vagrant::CALLS.select { |c| c[:name] == "network" }.each do |c|
  puts "network #{machine.call(c)} #{c[:args].first} #{c[:options][:ip]}"
end

Vagrant::CALLS.select { |c| c[:name] == "provision" }.each do |c|
  path = c[:options][:path]
  env = c[:options][:env] || {}
  puts "provision #{machine.call(c)} #{c[:args].first} #{path} #{env.map { |k, v| "#{k}=#{v}" }.join(' ')}"
  problems << "#{machine.call(c)}: provisioning script #{path} does not exist" unless path && File.file?(File.join(dir, path))
end

Vagrant::CALLS.select { |c| c[:name] == "synced_folder" }.each do |c|
  puts "synced_folder #{c[:args].join(' ')}"
  problems << "synced folder #{c[:args].first} is not the repository" unless File.expand_path(c[:args].first, dir) == File.dirname(dir)
end

unless problems.empty?
  warn problems.join("\n")
  exit 1
end
